"""All models, importable from one place (Alembic autogenerate reads this)."""
from tet.models.accounts import (  # noqa: F401
    Collectivite,
    Membership,
    Opsn,
    OpsnDepartement,
    OpsnMembership,
    User,
    collectivite_membre,
)
from tet.models.audit import AuditLog  # noqa: F401
from tet.models.indicateurs import (  # noqa: F401
    IndicateurDefinition,
    IndicateurValeur,
    ReferentielAction,
)
from tet.models.maturite import (  # noqa: F401
    Categorie,
    Definition,
    IndiceCategorie,
    IndiceCourant,
    Question,
    QuestionnaireVersion,
    Recommandation,
    Reponse,
    ReponseOption,
    Snapshot,
    SuiviRecommandation,
    Theme,
)
from tet.models.plans import (  # noqa: F401
    Axe,
    BudgetLigne,
    Declinaison,
    Document,
    FicheAction,
    FicheFinanceur,
    FicheLien,
    NoteSuivi,
    Plan,
    Tag,
    Thematique,
)
from tet.models.workflow import (  # noqa: F401
    DemandeAdhesion,
    EchecConnexion,
    Notification,
    Rattachement,
)
