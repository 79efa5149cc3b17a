"""Models of the calls for projects (design note: ``tet.projets``), importable from here.

``choix``: coded values and labels; ``appels``: calls and their settings, the committee;
``dossiers``: organisations porteuses, dossiers, candidatures; ``comite``: messages,
evaluations, votes, decisions; ``impacts``: impact indicators and their values.
"""
from tet.projets.models.appels import (  # noqa: F401
    appel_territoire,
    AppelAProjets,
    AxeAppel,
    Critere,
    Etape,
    Matrice,
    MembreComite,
    PieceRequise,
)
from tet.projets.models.choix import (  # noqa: F401
    CATEGORIES_RISQUE,
    CATEGORIES_RISQUE_LABELS,
    CHAMPS_PUBLICS,
    CHOIX_VOTE,
    CHOIX_VOTE_LABELS,
    couleur_risque,
    ETAPES,
    ETAPES_LABELS,
    OPTIONS_NOTES,
    ORIGINES_COMITE,
    ORIGINES_COMITE_LABELS,
    RESULTATS,
    ROLES_ORGANISATION,
    STADES,
    STADES_LABELS,
    STATUTS_APPEL,
    STATUTS_APPEL_LABELS,
    STATUTS_CANDIDATURE,
    STATUTS_CANDIDATURE_LABELS,
    STATUTS_RETENUS,
    STATUTS_VALEUR,
    STATUTS_VALEUR_LABELS,
    TYPES_ORGANISATION,
    TYPES_ORGANISATION_LABELS,
    ZONES_IMPACT,
    ZONES_IMPACT_LABELS,
)
from tet.projets.models.comite import (  # noqa: F401
    Decision,
    Evaluation,
    Message,
    Vote,
)
from tet.projets.models.dossiers import (  # noqa: F401
    Candidature,
    Dossier,
    Financement,
    Jalon,
    Organisation,
    OrganisationMembre,
    PieceJustificative,
    Risque,
)
from tet.projets.models.impacts import (  # noqa: F401
    Impact,
    ImpactValeur,
)
