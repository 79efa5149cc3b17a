"""Every domain's policies (and contextes), registered with the permission core by
importing their module (the core sits in ``tet.comptes`` under all domains and imports
none of them)."""
from tet.comptes import politiques  # noqa: F401
from tet.indicateurs import permissions as indicateurs  # noqa: F401
from tet.maturite import permissions as maturite  # noqa: F401
from tet.plans import permissions as plans  # noqa: F401
from tet.projets import permissions as projets  # noqa: F401
