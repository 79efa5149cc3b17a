"""Word lists and geography for the synthetic load data (``seeds/scale.py``)."""
from __future__ import annotations

REGIONS = {
    "Auvergne-Rhône-Alpes": "01 03 07 15 26 38 42 43 63 69 73 74",
    "Bourgogne-Franche-Comté": "21 25 39 58 70 71 89 90",
    "Bretagne": "22 29 35 56",
    "Centre-Val de Loire": "18 28 36 37 41 45",
    "Corse": "2A 2B",
    "Grand Est": "08 10 51 52 54 55 57 67 68 88",
    "Hauts-de-France": "02 59 60 62 80",
    "Île-de-France": "75 77 78 91 92 93 94 95",
    "Normandie": "14 27 50 61 76",
    "Nouvelle-Aquitaine": "16 17 19 23 24 33 40 47 64 79 86 87",
    "Occitanie": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "Pays de la Loire": "44 49 53 72 85",
    "Provence-Alpes-Côte d'Azur": "04 05 06 13 83 84",
}
DEPARTEMENTS = [(code, region) for region, codes in REGIONS.items() for code in codes.split()]

# (type, weight, name prefix): communes dominate, as in the national list.
TYPES = [("commune", 70, "Commune de"), ("cc", 16, "CC de"), ("ca", 5, "CA de"),
         ("syndicat", 5, "Syndicat de"), ("cu", 1, "CU de"), ("metropole", 1, "Métropole de"),
         ("departement", 1, "Département de"), ("region", 1, "Région")]

LIEUX = ["Beaulieu", "Montfort", "Villeneuve", "Saint-Martin", "Fontaine", "Roches",
         "Val-d'Or", "Mirabel", "Champagne", "Bellevue", "Pont-Aven", "Lacroix", "Chênes",
         "Rivière", "Mont-Blanc", "Vallon", "Sablons", "Marais", "Noyers", "Trois-Fontaines",
         "Bois-Joli", "Clairefont", "Hautes-Terres", "Pierrelatte", "Grand-Lac"]
SUFFIXES = ["", "-sur-Loire", "-en-Vallée", "-les-Bains", "-le-Haut", "-sur-Mer",
            "-la-Forêt", "-du-Lac", "-aux-Bois", "-le-Vieux", "-Saint-Jean", "-des-Prés"]

VERBES = ["Rénover", "Développer", "Accompagner", "Déployer", "Réduire", "Sensibiliser à",
          "Optimiser", "Structurer", "Mettre en place", "Favoriser", "Végétaliser",
          "Mutualiser", "Créer", "Étendre", "Soutenir"]
OBJETS = ["l'éclairage public", "les bâtiments scolaires", "le réseau de chaleur",
          "les pistes cyclables", "la rénovation énergétique des logements",
          "le tri des biodéchets", "les circuits courts alimentaires", "le covoiturage",
          "la production d'énergie solaire", "les achats responsables",
          "la sobriété énergétique", "la gestion de l'eau", "les mobilités douces",
          "le réemploi des matériaux", "la restauration collective",
          "les haies bocagères", "l'autopartage", "le numérique responsable",
          "la méthanisation", "les îlots de fraîcheur"]
LIEUX_ACTION = ["du centre-bourg", "des écoles", "de la zone d'activités", "du territoire",
                "des quartiers prioritaires", "des équipements sportifs", "de la mairie",
                "des hameaux", "du littoral", "de la vallée"]
AXES = ["Sobriété et efficacité énergétique", "Mobilités", "Énergies renouvelables",
        "Adaptation au changement climatique", "Alimentation et agriculture",
        "Économie circulaire", "Biodiversité", "Bâtiments et habitat", "Eau",
        "Exemplarité de la collectivité", "Mobilisation des acteurs", "Numérique responsable"]
PRENOMS = ["Camille", "Léa", "Lucas", "Hugo", "Chloé", "Louis", "Emma", "Jules", "Manon",
           "Nathan", "Inès", "Gabriel", "Sarah", "Arthur", "Jeanne", "Paul"]
NOMS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Roux"]
