"""Holder and committee accounts sign in and reach the back-office home in their contexte;
the existing pages of the other domains give them nothing of the collectivités."""
PAGES = ("/admin/plan/", "/admin/fiche/", "/admin/indicateur/", "/admin/collectivite/",
         "/admin/membership/", "/admin/user/", "/admin/auditlog/", "/admin/rattachement/",
         "/admin/demandeadhesion/", "/admin/opsnmembership/", "/admin/maturite/",
         "/admin/corbeille/", "/admin/import-plans/", "/admin/copie/")


def test_porteur_et_membre_du_comite_se_connectent(app, demo_projets, login_as):
    for email, badge in (("porteur.asso@tet.test", "Porteur de projets (admin)"),
                         ("comite1@tet.test", "Membre du comité")):
        client = login_as(email)
        page = client.get("/admin/", follow_redirects=True)  # a holder: « Mes dossiers »
        assert page.status_code == 200, email
        assert badge in page.get_data(as_text=True)
        for url in PAGES:
            response = client.get(url)
            assert response.status_code in (200, 302, 403, 404), (email, url, response.status_code)
            html = response.get_data(as_text=True)
            assert "CC du Val Démo" not in html and "Valbourg" not in html, (email, url)
