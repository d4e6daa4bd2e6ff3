"""French descriptions of the default topics (``taxonomy.DEFAULT_TAXONOMY`` writes them in
English): every workspace's default topics are described in both languages."""

from __future__ import annotations

FRENCH_DESCRIPTIONS: dict[str, str] = {
    "delivery": "Faire arriver la commande chez le client : retards, transporteur, état du "
    "colis, suivi, articles manquants ou erronés dans le colis.",
    "waiting_time": "Files d'attente, attente au téléphone, service lent, le temps qu'attend "
    "un client pour une réponse ou son tour, sur place ou à distance.",
    "staff_attitude": "La façon dont on traite le client : politesse, chaleur, patience, "
    "respect, ou impolitesse et indifférence, en magasin, au téléphone ou en visite.",
    "advice_expertise": "Le personnel connaît-il les produits et donne-t-il des conseils "
    "utiles, honnêtes et adaptés au besoin du client ?",
    "price": "Prix, rapport qualité-prix, promotions et remises, coûts cachés, hausses de prix.",
    "product_quality": "Ce qui a été acheté : qualité, durabilité, conformité à la "
    "description, défauts, casse, goût, taille, bon fonctionnement.",
    "stock_availability": "Le produit est-il disponible : rupture de stock, réassort, tailles "
    "ou références manquantes, articles annulés faute de stock.",
    "billing": "Factures, frais, prélèvements, moyens de paiement, double facturation ou "
    "erreur de montant, justificatifs.",
    "website_app": "Le site web, l'application mobile, le compte client et les formulaires en "
    "ligne : facilité d'usage, bugs, connexion, paiement en ligne, recherche.",
    "returns_refunds": "Renvoyer un article, échanges, remboursements et leurs délais, "
    "étiquettes de retour et conditions.",
    "after_sales": "Service après-vente, garantie, réparations, techniciens et installation.",
    "customer_service": "Joindre le service client et obtenir une solution : téléphone, chat, "
    "e-mail, être renvoyé de service en service, rappels promis, résolution.",
    "communication": "Ce que l'entreprise dit aux clients et quand : suivi de commande, "
    "notifications, newsletters, clarté de l'information, clients tenus au courant.",
    "product_information": "Descriptions, photos, guides des tailles, notices et modes "
    "d'emploi : le contenu aide-t-il le client à choisir et à utiliser le produit ?",
    "advertising_promises": "Offres et promesses des publicités, promotions et argumentaires "
    "de vente, et leur tenue : offres trompeuses, conditions en petits caractères.",
    "store_environment": "Le lieu lui-même : propreté, agencement, signalétique, parking, "
    "cabines d'essayage, confort.",
    "opening_hours_access": "Quand et comment joindre l'entreprise : horaires d'ouverture, "
    "rendez-vous, accessibilité, implantations.",
    "loyalty_programme": "Cartes de fidélité, points, avantages membres, bons d'achat, "
    "la façon dont sont traités les clients fidèles.",
    "trust_reputation": "L'image d'ensemble de la marque pour le client : confiance, "
    "recommandation, intention de revenir, comparaison avec les concurrents, sentiment "
    "d'avoir été trompé.",
}
