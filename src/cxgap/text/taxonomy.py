"""The default taxonomy: what customers talk about, across retail, e-commerce and services.

Each workspace starts from a copy it may edit (rename, add examples, retire, add topics).
A topic's keys never change. Keyword rules are lower-case words or phrases, matched on whole
words with accents and case folded and a plural or feminine ending allowed (« livré » matches
« livrée », « livret » does not); a trailing ``*`` makes a prefix (« rembours* » matches
« remboursement »). They are deliberately specific: a keyword fires its topic on its own,
whatever the models say.
Example phrases, in both languages, are what the models learn a topic from when no trained
head knows it, and what the bundled corpus is checked against.

Every one of the 10 seed pillars (``cxgap.pillars``) is reached by at least one topic.
"""

from __future__ import annotations

from cxgap.text.protocols import TopicSpec


def _topic(
    key: str,
    name_en: str,
    name_fr: str,
    description: str,
    *,
    examples: str,
    keywords: str,
    pillars: str,
) -> TopicSpec:
    return TopicSpec(
        key=key,
        name_en=name_en,
        name_fr=name_fr,
        description=description,
        examples=tuple(line.strip() for line in examples.strip().splitlines()),
        keywords=tuple(word.strip() for word in keywords.split(",") if word.strip()),
        pillar_keys=tuple(pillars.split()),
    )


DEFAULT_TAXONOMY: tuple[TopicSpec, ...] = (
    _topic(
        "delivery",
        "Delivery",
        "Livraison",
        "Getting the order to the customer: delays, carrier, parcel condition, tracking, "
        "missing or wrong items in the parcel.",
        examples="""
            The parcel arrived two days late.
            The courier left my package in the rain.
            Delivered the next day, well packed.
            Still no sign of my order after three weeks.
            Le colis est arrivé avec une semaine de retard.
            Livraison rapide et soignée, rien à redire.
            Le livreur a laissé le carton devant la porte sans sonner.
            Ma commande n'est toujours pas arrivée.
        """,
        keywords="livraison, livré, livreur, colis, transporteur, colissimo, chronopost, "
        "point relais, deliver*, courier, parcel, shipping, shipment",
        pillars="in_person service",
    ),
    _topic(
        "waiting_time",
        "Waiting time",
        "Temps d'attente",
        "Queues, time on hold, slow service, how long customers wait for an answer or a "
        "turn, in person or remotely.",
        examples="""
            I waited forty minutes on hold.
            The queue at the checkout was endless.
            Served straight away, no waiting at all.
            It took them ten days to reply to my email.
            J'ai attendu 45 minutes au téléphone avant d'avoir quelqu'un.
            Une file d'attente interminable en caisse.
            Pris en charge tout de suite, aucune attente.
            Trois semaines pour avoir une réponse, c'est trop long.
        """,
        keywords="attente, file d'attente, queue, waited, on hold, wait time",
        pillars="friction service",
    ),
    _topic(
        "staff_attitude",
        "Staff attitude",
        "Accueil et amabilité du personnel",
        "How people treat the customer: politeness, warmth, patience, respect, or rudeness "
        "and indifference, in a shop, on the phone or on a visit.",
        examples="""
            The staff were lovely and so patient with my questions.
            The sales assistant was rude and ignored us.
            A warm welcome from the whole team.
            The agent hung up on me.
            Le personnel est très aimable et souriant.
            La vendeuse nous a pris de haut, très désagréable.
            Accueil chaleureux, on se sent attendu.
            Le conseiller m'a raccroché au nez.
        """,
        keywords="aimable, souriant, désagréable, impoli, accueil, polite, rude, friendly, "
        "unfriendly, welcoming, courteous, impolite",
        pillars="representatives in_person",
    ),
    _topic(
        "advice_expertise",
        "Advice and expertise",
        "Conseil et expertise",
        "Whether staff know the products and give useful, honest advice suited to the "
        "customer's need.",
        examples="""
            The advisor really knew his stuff and helped me choose.
            Nobody in the shop could tell me the difference between the two models.
            Great advice, she steered me to a cheaper option that suits me better.
            The salesman just pushed the most expensive one.
            Le vendeur m'a très bien conseillé, il connaît ses produits.
            Personne n'a su répondre à mes questions techniques.
            De bons conseils, adaptés à mon besoin.
            On a voulu me vendre l'option la plus chère sans écouter ce que je voulais.
        """,
        keywords="conseil, conseillé, compétent, incompétent, advice, advised, knowledgeable, "
        "expertise",
        pillars="representatives content",
    ),
    _topic(
        "price",
        "Price and value",
        "Prix et rapport qualité-prix",
        "Prices, value for money, promotions and discounts, hidden costs, price increases.",
        examples="""
            Far too expensive for what it is.
            Great value for money.
            The price went up again without any warning.
            Shipping costs doubled the price of the order.
            Beaucoup trop cher pour ce que c'est.
            Excellent rapport qualité-prix.
            Encore une augmentation de tarif sans prévenir.
            Les frais de port sont exorbitants.
        """,
        keywords="prix, tarif, cher, coût, rapport qualité, frais de port, price, pricing, "
        "expensive, cheap, overpriced, value for money, cost",
        pillars="products friction",
    ),
    _topic(
        "product_quality",
        "Product quality",
        "Qualité du produit",
        "What was bought: quality, durability, conformity to the description, defects, "
        "breakage, taste, fit, how well it works.",
        examples="""
            The fabric is thin and tore after two washes.
            Excellent quality, it feels solid and well made.
            The item does not match the photos at all.
            It stopped working after a week.
            Produit de très bonne qualité, solide et bien fini.
            L'article ne correspond pas du tout à la description.
            Tombé en panne au bout de quinze jours.
            Le tissu bouloche dès le premier lavage.
        """,
        keywords="qualité, défectueux, cassé, abîmé, en panne, quality, defective, broken, "
        "faulty, damaged, poor quality, well made",
        pillars="products",
    ),
    _topic(
        "stock_availability",
        "Stock and availability",
        "Stock et disponibilité",
        "Whether the product is available: out of stock, backorders, sizes or references "
        "missing, items cancelled for lack of stock.",
        examples="""
            Out of stock again, third time this month.
            They cancelled my order because the item was unavailable.
            Everything I wanted was in stock.
            The website said available but the shop had none.
            Encore en rupture de stock.
            Ma taille n'est jamais disponible.
            Commande annulée faute de stock.
            Tout était disponible en magasin, parfait.
        """,
        keywords="rupture de stock, en stock, indisponible, disponibilité, out of stock, "
        "in stock, unavailable, sold out, backorder",
        pillars="products friction",
    ),
    _topic(
        "billing",
        "Billing and payment",
        "Facturation et paiement",
        "Invoices, charges, direct debits, payment methods, being charged twice or wrongly, "
        "receipts.",
        examples="""
            I was charged twice for the same order.
            The invoice still shows the wrong address.
            Payment by card was refused for no reason.
            My bill is higher than the price I was quoted.
            J'ai été débité deux fois pour la même commande.
            La facture comporte une erreur de montant.
            Le paiement par carte a été refusé sans raison.
            Prélèvement effectué alors que j'avais résilié.
        """,
        keywords="facture, facturation, débité, prélèvement, paiement, payé, invoice, billing, "
        "billed, charged, payment, direct debit",
        pillars="friction service",
    ),
    _topic(
        "website_app",
        "Website and app",
        "Site web et application",
        "The website, the mobile app, the customer account and online forms: ease of use, "
        "bugs, login problems, checkout, search.",
        examples="""
            The app crashes every time I try to pay.
            The website is clear and easy to use.
            Impossible to log in to my account.
            Ordering online took two minutes.
            L'application plante à chaque fois que je veux payer.
            Site clair et facile à utiliser.
            Impossible de me connecter à mon espace client.
            Le formulaire en ligne bugue au moment de valider.
        """,
        keywords="site, appli, application, en ligne, espace client, bug*, website, app, "
        "online, login, log in",
        pillars="digital friction",
    ),
    _topic(
        "returns_refunds",
        "Returns and refunds",
        "Retours et remboursements",
        "Sending an item back, exchanges, refunds and how long they take, return labels and "
        "conditions.",
        examples="""
            Still waiting for my refund a month after returning the item.
            The return was simple and the refund came within three days.
            They refused the exchange even with the receipt.
            The return label never arrived.
            Toujours pas remboursé un mois après le retour.
            Retour simple et remboursement sous trois jours.
            Ils ont refusé l'échange malgré le ticket de caisse.
            L'étiquette de retour n'est jamais arrivée.
        """,
        keywords="rembours*, retour, échange, refund*, return label, returned it, exchange, "
        "money back, store credit",
        pillars="service friction",
    ),
    _topic(
        "after_sales",
        "After-sales and repairs",
        "SAV et réparations",
        "After-sales service, warranty claims, repairs, technicians and installation.",
        examples="""
            The repair under warranty took two months.
            The technician came on time and fixed everything.
            After-sales service keeps sending me from one department to another.
            They refused to honour the warranty.
            Le SAV a mis deux mois à réparer mon lave-linge.
            Le technicien était ponctuel et efficace.
            Le service après-vente est injoignable.
            Ils refusent la prise en charge sous garantie.
        """,
        keywords="sav, après-vente, garantie, réparation, réparé, technicien, installation, "
        "after-sales, after sales, warranty, repair, repaired, technician",
        pillars="service representatives",
    ),
    _topic(
        "customer_service",
        "Customer service contact",
        "Contact avec le service client",
        "Reaching customer service and getting a problem solved: phone, chat, email, being "
        "passed around, promises to call back, resolution.",
        examples="""
            Customer service solved my problem in one call.
            Impossible to reach anyone, the line is always busy.
            I explained my problem five times to five different people.
            They promised to call me back and never did.
            Le service client a réglé mon problème en un appel.
            Impossible de joindre quelqu'un, ça sonne dans le vide.
            J'ai dû réexpliquer mon problème à chaque interlocuteur.
            On m'a promis un rappel qui n'est jamais venu.
        """,
        keywords="service client, service clients, hotline, joindre, injoignable, "
        "customer service, customer care, support team, helpline, call centre, call center",
        pillars="service communication friction",
    ),
    _topic(
        "communication",
        "Communication and information",
        "Communication et information",
        "What the company tells customers and when: order updates, notifications, "
        "newsletters, clarity of information, keeping customers informed.",
        examples="""
            Nobody told me my order was delayed.
            Clear emails at every step of the order.
            I get three promotional emails a day, far too many.
            The SMS gave the wrong delivery slot.
            Personne ne m'a prévenu du retard.
            Des mails clairs à chaque étape de la commande.
            Trois mails publicitaires par jour, c'est trop.
            Aucune information sur l'avancement de mon dossier.
        """,
        keywords="prévenu, informé, notification, newsletter, mail, sms, informed, notified, "
        "email, e-mail",
        pillars="communication content",
    ),
    _topic(
        "product_information",
        "Product information",
        "Information produit",
        "Descriptions, photos, sizing guides, instructions and manuals: whether content helps "
        "the customer choose and use the product.",
        examples="""
            The size guide is useless, everything runs small.
            The product page answered all my questions.
            No instructions in the box.
            The photos are misleading about the colour.
            Le guide des tailles est faux, tout taille petit.
            Fiche produit très complète, j'ai trouvé toutes les infos.
            Aucune notice dans le carton.
            Les photos ne montrent pas la vraie couleur.
        """,
        keywords="fiche produit, descriptif, notice, guide des tailles, mode d'emploi, "
        "description, size guide, instructions, manual, product page",
        pillars="content digital",
    ),
    _topic(
        "advertising_promises",
        "Advertising and promises",
        "Publicité et promesses",
        "Offers and promises made by adverts, promotions and sales pitches, and whether they "
        "are kept: misleading offers, conditions in small print.",
        examples="""
            The advertised discount did not apply at checkout.
            The offer on TV is not what they sold me.
            The promo code never works.
            They promised free installation and then charged for it.
            La promo annoncée ne s'appliquait pas en caisse.
            Publicité mensongère, rien à voir avec l'offre réelle.
            Le code promo ne fonctionne jamais.
            On m'avait promis l'installation gratuite et elle a été facturée.
        """,
        keywords="publicité, mensonger*, code promo, advert*, misleading, promo code, "
        "publicité mensongère",
        pillars="advertising reputation",
    ),
    _topic(
        "store_environment",
        "Shop and premises",
        "Magasin et lieux d'accueil",
        "The physical place: cleanliness, layout, signage, parking, fitting rooms, comfort.",
        examples="""
            The shop was dirty and messy.
            Bright, well organised store, easy to find things.
            No parking nearby.
            The fitting rooms were all out of order.
            Magasin sale et mal rangé.
            Boutique agréable et bien organisée.
            Impossible de se garer à proximité.
            Les cabines d'essayage sont toujours fermées.
        """,
        keywords="magasin, boutique, agence, rayon, cabine, parking, shop, store, aisle, "
        "fitting room, premises",
        pillars="in_person",
    ),
    _topic(
        "opening_hours_access",
        "Opening hours and access",
        "Horaires et accessibilité",
        "When and how customers can reach the company: opening hours, appointments, "
        "accessibility, locations.",
        examples="""
            The shop closes far too early on Saturdays.
            I could book an appointment online for the next day.
            No access for wheelchairs.
            The branch near me has closed.
            Le magasin ferme beaucoup trop tôt le samedi.
            J'ai eu un rendez-vous dès le lendemain.
            Pas d'accès pour les fauteuils roulants.
            L'agence la plus proche a fermé.
        """,
        keywords="horaire, ouvert, rendez-vous, accessib*, opening hours, appointment, wheelchair",
        pillars="friction in_person",
    ),
    _topic(
        "loyalty_programme",
        "Loyalty programme",
        "Programme de fidélité",
        "Loyalty cards, points, member benefits, vouchers, how loyal customers are treated.",
        examples="""
            My loyalty points disappeared from my account.
            The member discounts are really worth it.
            Twenty years a customer and not even a thank you.
            The voucher expired before I could use it.
            Mes points de fidélité ont disparu.
            Les avantages de la carte fidélité valent le coup.
            Client depuis vingt ans et aucun geste commercial.
            Le bon d'achat a expiré avant que je puisse l'utiliser.
        """,
        keywords="fidélité, points de fidélité, bon d'achat, loyalty, reward points, "
        "membership, voucher",
        pillars="reputation communication",
    ),
    _topic(
        "trust_reputation",
        "Trust and reputation",
        "Confiance et réputation",
        "The customer's overall view of the brand: trust, recommendation, intention to come "
        "back, comparison with competitors, feeling cheated.",
        examples="""
            I would recommend them to anyone.
            Never again, I'm going to a competitor.
            A brand I trust, always reliable.
            I feel completely scammed.
            Je recommande les yeux fermés.
            Plus jamais, je passe à la concurrence.
            Une enseigne de confiance, toujours fiable.
            Je me sens arnaqué.
        """,
        keywords="recommand*, arnaque, escroc*, confiance, concurrence, plus jamais, recommend*, "
        "scam*, trust, never again, competitor",
        pillars="reputation",
    ),
)
"""The default topics, in display order."""


def topic_keys(taxonomy: tuple[TopicSpec, ...] = DEFAULT_TAXONOMY) -> tuple[str, ...]:
    """The keys of ``taxonomy``, in order.

    >>> topic_keys()[:3]
    ('delivery', 'waiting_time', 'staff_attitude')
    """
    return tuple(topic.key for topic in taxonomy)
