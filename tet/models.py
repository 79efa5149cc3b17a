"""All models, importable from one place (Alembic autogenerate reads this)."""
from tet.comptes.models import (  # noqa: F401
    Collectivite,
    Membership,
    Opsn,
    OpsnDepartement,
    OpsnMembership,
    User,
    collectivite_membre,
)
from tet.comptes.journal import AuditLog  # noqa: F401
from tet.indicateurs.models import (  # noqa: F401
    IndicateurDefinition,
    IndicateurValeur,
    ReferentielAction,
)
from tet.plans.agregats_tables import (  # noqa: F401
    sous_arbre_compte,
    sous_arbre_fiche,
    sous_arbre_total,
)
from tet.maturite.models import (  # noqa: F401
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
from tet.plans.models import (  # noqa: F401
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
from tet.plans.versions_fiche import FicheVersion  # noqa: F401
from tet.comptes.demandes import (  # noqa: F401
    DemandeAdhesion,
    EchecConnexion,
    Notification,
    Rattachement,
)
from tet.projets.models import (  # noqa: F401
    AppelAProjets,
    AxeAppel,
    Candidature,
    Critere,
    Decision,
    Dossier,
    Etape,
    Evaluation,
    Financement,
    Impact,
    ImpactValeur,
    Jalon,
    Matrice,
    MembreComite,
    Message,
    Organisation,
    OrganisationMembre,
    PieceJustificative,
    PieceRequise,
    Risque,
    Vote,
)
