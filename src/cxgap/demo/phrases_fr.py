"""French verbatims for the demo, as French customers of a furniture retailer write them."""

from __future__ import annotations

from cxgap.demo.phrases import PhraseBank
from cxgap.demo.phrases_fr_topics import NEGATIVE, POSITIVE

SEGMENT_NEGATIVE = {
    "busy_family": (
        "Avec deux enfants en bas âge, attendre un livreur toute la journée c'est impossible.",
        "On a dû faire garder les enfants pour être là au créneau de livraison.",
        "Les lits superposés sont arrivés sans la moitié des vis, les enfants ont dormi sur "
        "un matelas par terre.",
    ),
    "design_lover": (
        "Les nouvelles collections se ressemblent toutes, on ne trouve plus rien d'original.",
        "La teinte « terracotta » du site est en réalité orange vif.",
        "Pour une enseigne déco, les finitions laissent franchement à désirer.",
    ),
    "pro_buyer": (
        "Pour un chantier ces délais sont intenables, mon client attend.",
        "Le compte pro n'applique pas la remise négociée, il faut réclamer à chaque fois.",
        "Impossible d'avoir une facture au nom de la société sans appeler.",
    ),
    "bargain_hunter": (
        "Le prix a baissé de {small_price} € deux jours après mon achat.",
        "Les frais de livraison annulent complètement la promo.",
        "Le déstockage annoncé, c'était trois chaises bancales.",
    ),
}

SEGMENT_POSITIVE = {
    "busy_family": (
        "Le coin enfants du magasin nous a sauvé la vie.",
        "Commande passée un soir après le coucher des enfants, livrée {weekday}.",
        "Le lit des enfants s'est monté en une heure, notice claire.",
    ),
    "design_lover": (
        "La nouvelle collection en lin lavé est superbe.",
        "Enfin du chêne massif qui a du caractère.",
        "Les coloris de cette saison sont très réussis.",
    ),
    "pro_buyer": (
        "Le service pro a tenu les délais pour le chantier de mon client.",
        "La remise pro est appliquée automatiquement, c'est appréciable.",
        "Mon interlocutrice dédiée au compte pro est très réactive.",
    ),
    "bargain_hunter": (
        "Super affaire pendant les soldes, {price} € au lieu du double.",
        "Le déstockage de {shop} vaut vraiment le détour.",
        "Le code promo a marché du premier coup.",
    ),
}

MIXED = (
    "{pos}, mais {neg}",
    "{pos} mais {neg}",
    "{pos}, par contre {neg}",
    "{pos}. En revanche {neg}",
    "{pos}, seul bémol : {neg}",
    "{pos} ; en revanche {neg}",
    "{neg}, heureusement {pos}",
    "{neg}, mais bon, {pos}",
    "{neg}. Par contre {pos}",
    "{pos}, dommage pour le reste : {neg}",
    "D'un côté {pos}, de l'autre {neg}",
)

CONSEQUENCES = (
    "J'ai dû poser une journée de congé pour rien.",
    "Résultat : {weeks} semaines à manger sur des cartons.",
    "J'ai dû relancer {count} fois pour avoir une réponse.",
    "Du coup j'ai annulé le reste de ma commande.",
    "On m'a juste dit de patienter.",
    "Personne ne s'est excusé.",
    "Et bien sûr aucun geste commercial.",
    "Ça fait {days} jours que j'attends un retour.",
    "Je ne sais toujours pas quand je serai livré{e}.",
    "Franchement ce n'est pas sérieux pour des meubles à ce prix-là.",
    "Mon mari a fini par tout remonter lui-même.",
    "J'ai perdu ma matinée au magasin.",
    "J'ai fini par acheter ailleurs.",
    "Dossier toujours pas clos à ce jour.",
    "On a l'impression de déranger quand on appelle.",
    "Je me suis senti{e} complètement abandonné{e}.",
)

PRAISE_FOLLOW_UPS = (
    "Je recommande sans hésiter.",
    "On reviendra pour la chambre des enfants.",
    "Merci à toute l'équipe.",
    "Rien à redire.",
    "Très bon rapport qualité-prix.",
    "Exactement ce qu'on cherchait.",
    "Ça fait plaisir de tomber sur un service comme ça.",
    "Aucun souci du début à la fin.",
    "Franchement bravo.",
    "Je suis ravi{e} de mon achat.",
    "On se sent bien chez soi maintenant.",
)

OPENERS_NEGATIVE = (
    "Bonjour,",
    "Très déçu{e}.",
    "Expérience décevante.",
    "Alors comment dire…",
    "Franchement,",
    "Honnêtement,",
    "Catastrophe.",
    "Client{e} depuis 10 ans,",
    "Deuxième commande et même problème :",
)

OPENERS_POSITIVE = (
    "Super expérience !",
    "Bonjour,",
    "Très satisfait{e}.",
    "Top !",
    "Que du bon.",
    "Franchement,",
    "Première commande chez vous et",
    "Très bonne surprise :",
)

OPENERS_MIXED = (
    "Mitigé.",
    "Bilan mitigé :",
    "Bof.",
    "Dans l'ensemble ça va,",
    "Un peu partagé{e}.",
    "Globalement correct.",
    "Bonjour,",
)

CLOSINGS_NEGATIVE = (
    "Je ne recommande pas.",
    "Plus jamais.",
    "Je ne commanderai plus chez vous.",
    "Dommage, les meubles sont beaux.",
    "À revoir sérieusement.",
    "Très déçu{e} de Maison Lumen.",
    "J'espère que ce message sera lu.",
    "Vous avez perdu un{e} client{e}.",
    "Inadmissible.",
    "Service client à revoir d'urgence.",
    "Je vais laisser un avis sur Google.",
)

CLOSINGS_POSITIVE = (
    "Merci !",
    "Bravo à l'équipe de {shop} !",
    "Je recommande.",
    "On reviendra !",
    "Continuez comme ça.",
    "5 étoiles.",
    "Encore merci.",
)

CLOSINGS_MIXED = (
    "Peut mieux faire.",
    "Correct sans plus.",
    "À améliorer.",
    "On verra pour la prochaine fois.",
    "Dommage.",
    "Bien, mais pas top.",
    "Je mets 7 pour l'effort.",
)

SHORT_NEGATIVE = (
    "Livraison en retard, encore.",
    "Service client injoignable.",
    "Très déçu{e} de la livraison",
    "{minutes} min d'attente au tel !!",
    "Commande jamais reçue, aucune nouvelle",
    "Appli inutilisable au moment de payer",
    "SAV aux abonnés absents",
    "Délais beaucoup trop longs.",
    "Pas de réponse à mes mails.",
    "{product_m} abîmé à la livraison.",
    "Remboursement toujours pas reçu.",
    "Qualité décevante pour le prix.",
    "Aucun suivi de commande, c'est pénible.",
    "plus jamais chez vous",
    "Vendeurs pas au courant du stock.",
    "Commande n°{order} toujours pas livrée.",
    "{weeks} semaines pour une {product_f}, sérieusement ?",
    "Toujours pas de nouvelles de ma commande.",
    "Trois semaines de retard, aucune excuse.",
    "Appli qui plante au paiement, encore.",
    "Personne ne répond au téléphone.",
    "Facture complètement incompréhensible.",
)

SHORT_POSITIVE = (
    "Livraison rapide, rien à dire.",
    "Très bon accueil en magasin.",
    "Super conseils de {advisor} !",
    "Rien à redire, parfait.",
    "Très content{e} de ma {product_f}.",
    "{product_m} conforme et bien livré.",
    "Service au top.",
    "Top, je recommande",
    "Tout s'est bien passé.",
    "Livré en {days} jours, nickel.",
    "Qualité au rendez-vous.",
    "Bon rapport qualité prix",
    "Équipe de {shop} au top !",
    "ma {product_f} est parfaite merci",
    "Commande facile, livraison rapide.",
    "Magasin de {shop} très agréable.",
    "Retour simple et rapide.",
    "Très belle qualité, je suis fan.",
    "Vendeur de bon conseil.",
)

SHORT_MIXED = (
    "Bien mais trop long.",
    "Produit top, livraison bof.",
    "Correct, sans plus.",
    "Accueil sympa, délais trop longs.",
    "Beau {product_m}, SAV lent.",
    "Bien dans l'ensemble, site à améliorer.",
    "Pas mal mais cher.",
    "Qualité ok, service moyen.",
    "Jolie {product_f} mais livrée en retard.",
    "Les vendeurs oui, le SAV non.",
    "Sympa mais désorganisé.",
    "Joli mais fragile.",
    "Livraison ok, montage galère.",
    "Bon accueil, appli à revoir.",
    "Beaux meubles, SAV à revoir.",
)

SHORT_TAILS_NEGATIVE = (
    "Dommage.",
    "Bref.",
    "Décevant.",
    "Comme d'hab.",
    "Pas sérieux.",
    "Nul.",
    "Encore une fois.",
    "Sérieusement ?",
    "Lamentable.",
    "Merci de rappeler.",
)

SHORT_TAILS_POSITIVE = (
    "Merci !",
    "Merci {advisor} !",
    "Bravo.",
    "Parfait.",
    "Nickel.",
    "Top.",
    "Ravi{e}.",
    "Rien à dire.",
    "Je recommande.",
)

SHORT_TAILS_MIXED = (
    "Bof.",
    "Dommage.",
    "Peut mieux faire.",
    "Moyen.",
    "Sans plus.",
    "Bref, mitigé{e}.",
    "À suivre.",
)

SLOTS = {
    "product_m": (
        "canapé d'angle",
        "canapé trois places",
        "buffet en chêne",
        "matelas",
        "lit coffre",
        "fauteuil en velours",
        "meuble TV",
        "tapis berbère",
        "bureau",
        "dressing",
        "lampadaire",
        "miroir",
        "sommier",
    ),
    "product_f": (
        "table en chêne",
        "table basse",
        "commode",
        "armoire",
        "bibliothèque",
        "lampe de chevet",
        "suspension en rotin",
        "tête de lit",
        "console",
        "table de jardin",
    ),
    "product_pl": ("chaises", "étagères", "appliques", "chaises hautes", "tables gigognes"),
    "legged_m": (
        "canapé d'angle",
        "fauteuil en velours",
        "buffet en chêne",
        "meuble TV",
        "bureau",
        "lit coffre",
    ),
    "top_f": ("table en chêne", "table basse", "commode", "console", "table de chevet"),
    "sofa_m": (
        "canapé d'angle",
        "canapé trois places",
        "fauteuil en velours",
        "pouf",
        "canapé-lit",
    ),
    "shop": (
        "Lyon Confluence",
        "Bordeaux Lac",
        "Paris Bercy",
        "Lille",
        "Nantes",
        "Marseille Prado",
        "Toulouse",
        "Bruxelles",
    ),
    "advisor": ("Sophie", "Karim", "Amandine", "Julien", "Mme Lefèvre", "Thomas", "Nadia"),
    "weekday": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"),
    "weeks": ("deux", "trois", "quatre", "cinq", "3", "4", "6"),
}

BANK = PhraseBank(
    language="fr",
    negative=NEGATIVE,
    positive=POSITIVE,
    segment_negative=SEGMENT_NEGATIVE,
    segment_positive=SEGMENT_POSITIVE,
    mixed=MIXED,
    consequences=CONSEQUENCES,
    praise_follow_ups=PRAISE_FOLLOW_UPS,
    openers_negative=OPENERS_NEGATIVE,
    openers_positive=OPENERS_POSITIVE,
    openers_mixed=OPENERS_MIXED,
    closings_negative=CLOSINGS_NEGATIVE,
    closings_positive=CLOSINGS_POSITIVE,
    closings_mixed=CLOSINGS_MIXED,
    short_negative=SHORT_NEGATIVE,
    short_positive=SHORT_POSITIVE,
    short_mixed=SHORT_MIXED,
    short_tails_negative=SHORT_TAILS_NEGATIVE,
    short_tails_positive=SHORT_TAILS_POSITIVE,
    short_tails_mixed=SHORT_TAILS_MIXED,
    slots=SLOTS,
)
