"""All models, importable from one place (Alembic autogenerate reads this)."""
from tet.comptes.models import (
    Collectivite,
    Membership,
    Opsn,
    OpsnDepartement,
    OpsnMembership,
    User,
    collectivite_membre,
)
from tet.comptes.journal import AuditLog  # noqa: F401
from tet.indicateurs.models import IndicateurDefinition, IndicateurValeur, ReferentielAction
from tet.plans.agregats_tables import (  # noqa: F401
    sous_arbre_compte,
    sous_arbre_fiche,
    sous_arbre_total,
)
from tet.maturite.models import (
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
from tet.plans.models import (
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
from tet.comptes.demandes import DemandeAdhesion, EchecConnexion, Notification, Rattachement
from tet.projets.models import (
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
