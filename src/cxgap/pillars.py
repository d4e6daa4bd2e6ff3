"""The default framework: the 10 pillars of customer experience (seed 000).

Each workspace gets a copy it may rename, extend or retire; keys never change so history holds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PillarDefinition:
    """A pillar; the description speaks to colleagues, the prompt to customers."""

    key: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    prompt_en: str = ""
    prompt_fr: str = ""


DEFAULT_PILLARS: tuple[PillarDefinition, ...] = (
    PillarDefinition(
        "advertising",
        "Advertising to consumers",
        "Publicité auprès des consommateurs",
        "How well do your advertising messages and promises match the journey and experience "
        "customers actually get?",
        "Dans quelle mesure vos messages publicitaires et vos promesses s'alignent-ils sur le "
        "parcours et l'expérience réels des clients ?",
        "Our ads and promises match what you actually get.",
        "Nos publicités et nos promesses correspondent à ce que vous vivez réellement.",
    ),
    PillarDefinition(
        "content",
        "Content they consume",
        "Contenu qu'ils consomment",
        "Does your content inform, help a purchase decision, answer the essential questions "
        "along the way?",
        "Votre contenu informe-t-il, aide-t-il à décider, répond-il aux questions essentielles "
        "tout au long du parcours ?",
        "Our website content, guides and newsletters inform you and help you choose.",
        "Nos contenus (site, guides, lettres d'information) vous informent et vous aident à choisir.",
    ),
    PillarDefinition(
        "digital",
        "Digital experiences they interact with or observe",
        "Expériences numériques dans lesquelles ils interagissent ou observent",
        "Do forms, tools, chatbots and apps work the way customers expect, and beyond?",
        "Les formulaires, outils, chatbots et applications fonctionnent-ils comme les clients "
        "s'y attendent, et au-delà ?",
        "Our website, app, online forms and chat work the way you expect.",
        "Notre site, notre application, nos formulaires et notre chat fonctionnent comme vous l'attendez.",
    ),
    PillarDefinition(
        "in_person",
        "Non-digital (in-person) experiences",
        "Expérience non numérique dans laquelle ils interagissent ou observent",
        "Shops, events, phone calls, packaging, deliveries: do in-person moments meet the "
        "customer's needs?",
        "Boutiques, événements, appels, emballages, livraisons : les moments en personne "
        "répondent-ils aux besoins du client ?",
        "Shops, phone calls, deliveries, packaging: the moments in person.",
        "Magasins, appels, livraisons, emballages : les moments en personne.",
    ),
    PillarDefinition(
        "communication",
        "Company communication",
        "Communication de l'entreprise",
        "Are your messages relevant, timely, at the right frequency, and do you answer "
        "enquiries and complaints the same day?",
        "Vos communications sont-elles pertinentes, opportunes, à la bonne fréquence, et "
        "répondez-vous aux demandes et plaintes le jour même ?",
        "Our messages are relevant and timely, and we answer your questions and complaints the same day.",
        "Nos messages sont pertinents et arrivent au bon moment, et nous répondons à vos questions et réclamations le jour même.",
    ),
    PillarDefinition(
        "representatives",
        "Company representatives they deal with",
        "Représentants de l'entreprise avec lesquels ils communiquent",
        "Do salespeople, field staff and managers serve the customer's needs rather than their "
        "own agenda?",
        "Vos vendeurs, équipes terrain et dirigeants servent-ils les besoins du client plutôt "
        "que leur propre agenda ?",
        "The people you deal with (advisors, salespeople, technicians) care about your needs.",
        "Les personnes à qui vous avez affaire (conseillers, vendeurs, techniciens) se soucient de vos besoins.",
    ),
    PillarDefinition(
        "products",
        "Products and services they buy",
        "Les produits et services qu'ils achètent",
        "Do your products and services meet or exceed every customer's expectations, with "
        "something unexpected on top?",
        "Vos produits et services répondent-ils aux attentes de chaque client, voire les "
        "dépassent-ils avec une touche inattendue ?",
        "Our products and services meet or exceed your expectations.",
        "Nos produits et services répondent à vos attentes, voire les dépassent.",
    ),
    PillarDefinition(
        "service",
        "Customer service they receive",
        "Le service client qu'ils reçoivent",
        "Is your customer service empowered to solve problems quickly: refunds, replacements, "
        "exchanges?",
        "Votre service client est-il habilité à résoudre vite les problèmes : remboursements, "
        "remplacements, échanges ?",
        "Customer service solves your problems quickly: refunds, replacements, exchanges.",
        "Le service client résout vite vos problèmes : remboursements, remplacements, échanges.",
    ),
    PillarDefinition(
        "friction",
        "Friction, or its absence, along the journey",
        "Friction, ou absence de friction, tout au long du parcours client",
        "How much waiting, how many clicks and hand-offs stand between customers and what they "
        "came for?",
        "Combien d'attente, de clics et de relais séparent vos clients de ce qu'ils sont venus "
        "chercher ?",
        "Dealing with us is easy: little waiting, few clicks, no being passed from one person to another.",
        "Tout est simple avec nous : peu d'attente, peu de clics, pas de renvois d'un service à l'autre.",
    ),
    PillarDefinition(
        "reputation",
        "Brand reputation and expectations",
        "Réputation et attentes de la marque",
        "Does the experience live up to what your reputation leads people to expect?",
        "L'expérience est-elle à la hauteur de ce que votre réputation laisse attendre ?",
        "The experience lives up to what our reputation promises.",
        "L'expérience est à la hauteur de ce que promet notre réputation.",
    ),
)

SCALE_MIN = 1
SCALE_MAX = 5
NPS_MAX = 10
CSAT_MAX = 5
CES_MAX = 7
