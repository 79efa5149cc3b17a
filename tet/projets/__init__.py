"""Appels à projets — the third system: calls for projects, one dossier per project,
committee evaluation and co-decision, impact follow-up, a public observatoire.

Entities (``tet.projets.models``)
---------------------------------
- ``Organisation`` (association, entreprise, commune, autre organisme public; SIREN / SIRET
  checked, optional for an association) and its ``OrganisationMembre`` (admin / membre).
  A holder account is a ``User`` with such a membership: it acts for the organisation
  (contexte ``organisation`` in the header, ``Acteur.organisation_id``).
- ``AppelAProjets`` run by a collectivité (``collectivite_id``) or, when None, by the
  national support; ``territoire`` (collectivités covered), objectifs, règles
  d'éligibilité, ``options_notes`` (e.g. 1 / 3 / 5), ``seance_ouverte`` (the committee
  meets), ``copied_from``. Under it: ``AxeAppel`` (share ``part`` % of the score),
  ``Etape`` (dépôt, éligibilité, priorisation, risques, conventionnement, suivi, with
  dates), ``PieceRequise``, ``Matrice`` (``poids`` %, optional own ``options``) and its
  ``Critere`` (``poids`` % inside the matrix, optional axe), ``MembreComite`` (a user, or
  an e-mail invited with a signed token until accepted; origine organisateur / partenaire /
  expert). A committee member acts in the contexte ``comite`` of one call
  (``Acteur.comite_appel_id``).
- ``Dossier`` (one per project, owned by an organisation, reused from call to call):
  porteur, référent, description, objectifs, bénéficiaires, partenaires, zone d'impact,
  stade de maturité with planned dates (``Jalon``), budget and ``Financement`` lines,
  ``PieceJustificative`` (checked uploads, answering a ``PieceRequise`` or not), ``Risque``
  (catalogue category, probabilité × gravité 1–4, grid colour ``couleur_risque``),
  ``confidentiel`` and ``champs_publics`` (fields the holder shows on the observatoire).
- ``Candidature``: the dossier's answer to one call (unique per dossier × call, its own
  axe, motivation, amount asked and answers), its ``Message`` thread with the organiser,
  the committee's ``Evaluation`` (member × critère, note, justification) and ``Vote``
  (pour / contre / abstention), the ``Decision``; once retained, ``fiche_id`` links the
  fiche action of the organiser's plan and ``Impact`` / ``ImpactValeur`` hold its impact
  indicators (yearly objectif / résultat proposed by the holder, validated by the
  organiser).

States
------
- Call: brouillon → ouvert → clos → décidé (``appels.avancer``); the committee's meeting
  opens and closes while it is ouvert or clos (``appels.ouvrir_seance``; a call open all
  year holds several); copied for the next year (``appels.copier``).
- Candidature (``transitions``): brouillon → déposé (holder; required pièces present,
  call open, before the dépôt deadline) → éligible / non éligible (organiser; déposé →
  brouillon too, to send it back) → évalué (organiser; every member, or more than half of
  them, scored every criterion) → retenu / non retenu (``decision.decider``: the committee's
  vote with quorum, recorded by the organiser) → conventionné → en suivi (organiser; the
  fiche action is created then). Each transition is audited and e-mailed to the holder.

Who does what (``tet.projets.permissions``, row filters in SQL)
--------------------------------------------------------------
- Organiser (admin / édition of the organising collectivité; support for national calls):
  manages the call and its committee, moves the candidatures, records the decisions,
  validates impact values; sees the deposited candidatures of its calls, the notes only
  once the meeting is open. Lecture: reads.
- Holder: its organisation's dossiers only; edits a candidature while brouillon, the
  dossier while none of its candidatures is under instruction; never sees the notes.
- Committee member: the call's deposited (non set-aside) candidatures, its own notes, the
  others' once the meeting is open; scores and votes, never decides alone.
- An organiser of another territory, anyone else: nothing. The observatoire
  (``observatoire``) shows only retained, non-confidential projects, fields marked public.

Services: ``organisations``, ``appels``, ``comite``, ``dossiers``, ``pieces``,
``transitions``, ``evaluation`` (+ ``score``, pure), ``decision``, ``messages``, ``suivi``,
``observatoire``; every refusal is a ``commun.Refus`` with a French message, a stale
version ``tet.verrous.Perime``. They take the acteur (``current_acteur()``) and check it
themselves; the views only show what ``permissions`` and ``transitions.possibles`` allow.

For the views: the e-mails link to the endpoints named in ``commun.ENDPOINT_CANDIDATURE``
(organiser), ``commun.ENDPOINT_CANDIDATURE_PORTEUR`` (holder) and
``comite.ENDPOINT_ACCEPTER``; the score shows through ``evaluation.resultat_pour`` /
``classement_pour`` only;
tests get the demo story with the ``demo_projets`` fixture (tests/projets/conftest.py).
"""
