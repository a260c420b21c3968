"""Les textes du bot en français (les noms sont ceux de bot/texts.py)."""

HELP = """Je vérifie vos brouillons pour les médias sociaux selon la politique de {agency} avant que vous les publiiez.

*Envoyez-moi un brouillon* (collez-le simplement) et je répondrai *ok*, *disclaimer* (avertissement), *review* (relecture) ou *stop*, avec la section de la politique à l'origine de chaque constat et une version corrigée.
Commencez un brouillon par `official:` ou `personal:` (et `on duty:` / `off duty:`) pour le vérifier une seule fois dans un autre contexte.
Après un verdict, utilisez ses boutons ou tapez `pourquoi ?`, `faire appel`, `envoie-le en relecture`, `ajoute l'avertissement` ou `c'est pour le compte officiel`.

Commandes :
• `politique <sujet>` : consulter une section de la politique (`politique avertissement`, `politique loi Hatch`)
• `quiz` : un quiz de {quiz_length} questions
• `paramètres` : votre type de compte, votre statut de service par défaut, votre fuseau horaire, vos heures de travail, vos rappels
• `aide` : ce message
Les réviseurs ont aussi `queue` : les éléments en attente de relecture."""

SUMMARIES = {
    "ok": "Vous pouvez publier. Je n'ai rien trouvé de contraire à la politique.",
    "disclaimer": "Vous pouvez publier ceci avec un avertissement précisant que vos opinions sont personnelles.",
    "review": "Faites relire ceci avant de le publier.",
    "stop": "Ne publiez pas ceci.",
}

ASK_CONTEXT = "Avant de répondre : le verdict dépend de l'endroit où vous publiez et du fait que vous soyez en service ou non. Quelle est votre situation?"
ASK_CONTEXT_ONCE = "Vérifier ce brouillon comme :"
ASK_CONTEXT_AGAIN = "Cela change encore le verdict de ce brouillon. Quelle est votre situation?"
CONTEXT_FIRST = "Dites-moi d'abord où vous le publierez; je pourrai ensuite répondre."
JUST_THIS_DRAFT = "Pour ce brouillon seulement, je l'ai vérifié comme *{context}*. Utiliser ce choix dorénavant?"
FROM_NOW_ON = "Oui, dorénavant"
ADD_DISCLAIMER = "Ajouter l'avertissement"
WHAT_TO_REMOVE = "Que dois-je retirer?"
SEND_FOR_REVIEW = "Envoyer en relecture"
APPEAL = "Je crois que c'est une erreur"
CHANGE_CONTEXT = "Changer compte / service"
BUTTON_EXPIRED = "Ce bouton a expiré. Renvoyez le brouillon et je le vérifierai de nouveau."
TOO_COMPLEX = "C'est trop complexe pour que je le vérifie d'un seul coup. Veuillez l'envoyer en plusieurs parties."
SOMETHING_WRONG = "Désolé, une erreur s'est produite de mon côté. Rien n'a été enregistré; veuillez réessayer."
SKIP_COMMENT = "Sans commentaire"
CONTEXT_SAVED = "C'est noté : je retiendrai *{context}* comme choix par défaut. Vous pouvez le changer avec le bouton sous un verdict ou dans `paramètres`."
DRAFT_EXPIRED = "Je n'ai plus ce brouillon (je ne conserve jamais les brouillons). Veuillez le renvoyer."
FIXED_INTRO = "Voici une version corrigée :"
FIX_NOTHING = "Il n'y a rien à corriger : le brouillon convient tel quel."
FIX_STOP = "Retirez ces éléments avant de publier (ou envoyez le brouillon en relecture) :"
REMOVE_LINE = "• {quoted} : {why}"
FIX_PLACEHOLDERS = "Le voici avec les renseignements personnels remplacés :"
FIX_PLACEHOLDERS_AND_DISCLAIMER = "Le voici avec les renseignements personnels remplacés et l'avertissement ajouté :"
SENT_FOR_REVIEW = "Envoyé aux communications pour relecture (élément #{id}). Je vous informerai du résultat. Le brouillon est conservé au plus {days} jours."
APPEAL_ASK_REASON = "Appel #{id} créé. Expliquez-moi en un seul message pourquoi le verdict vous semble erroné, ou tapez `skip` (ou `passer`)."
APPEAL_SENT = "Appel #{id} envoyé aux réviseurs. Je vous informerai de leur décision."
NOT_A_REVIEWER = "Seuls les réviseurs peuvent trancher les éléments à relire. Demandez à votre bureau des communications si vous devriez en faire partie."
ALREADY_DECIDED = "L'élément #{id} a déjà été traité : {status} par {who}. Rien n'a changé."
NO_SUCH_ITEM = "Il n'y a aucun élément de relecture #{id}."
ASK_COMMENT = "Un commentaire pour l'auteur de l'élément #{id}? Envoyez-le en un seul message, ou passez cette étape."
DECIDED = "Élément #{id} : {status}. J'en ai informé l'auteur."
QUEUE_EMPTY = "La file de relecture est vide."
OUTCOMES = {
    "approved": "✅ Votre brouillon #{id} a été approuvé par les communications. Vous pouvez le publier.",
    "sent_back": "↩️ Votre brouillon #{id} a été renvoyé par les communications : {comment}",
    "upheld": "Votre appel #{id} a été examiné : le verdict est maintenu.{comment_part}",
    "overturned": "✅ Votre appel #{id} a été accepté : le verdict était erroné et vous pouvez publier le brouillon.{comment_part}",
}
STATUS_WORDS = {
    "approved": "approuvé",
    "sent_back": "renvoyé",
    "upheld": "verdict maintenu",
    "overturned": "verdict annulé",
}

QUIZ_NOT_OPEN = "Cette question n'est plus ouverte. Tapez `quiz` pour commencer un nouveau quiz."
NUDGE_INTRO = "Petit rappel sur la politique, en une question :"
REMINDER = (
    "Votre profil de médias sociaux comporte-t-il un avertissement précisant que vos opinions sont personnelles? "
    "S'il mentionne votre emploi, il le devrait, par exemple : _{disclaimer}_"
)
REMINDER_YES = "Oui, c'est le cas"
REMINDER_STOP = "Arrêter ces rappels"
REMINDER_THANKS = "Merci! Je vous reposerai la question dans quelques mois."
QUIZ_QUESTION = "*Question {number} sur {total} :* {prompt}"
QUIZ_NONE_OPEN = "Aucun quiz n'est en cours. Tapez `quiz` pour en commencer un."
QUIZ_PICK = "Choisissez un numéro de 1 à {last} (ou tapez la réponse), ou tapez `arrêter` pour quitter le quiz."
QUIZ_EMPTY = "Le module de politique ne contient aucune question de quiz."
QUIZ_RIGHT = "✅ Exact."
QUIZ_WRONG = "❌ Pas tout à fait : la réponse est *{answer}*."
QUIZ_DONE = "Quiz terminé : {score}/{total}. Votre résultat est enregistré."

ANSWER_PASSAGE = "Extrait de *{title}* :\n> {passage}"
READ_SECTION = "Lire toute la section"
SHORT_NO = "En bref : non. {message} ({section})"
SHORT_REVIEW = "En bref : seulement après relecture. {message} ({section})"
SHORT_DISCLAIMER = "En bref : oui, avec un avertissement. {message} ({section})"
QUESTION_NOT_UNDERSTOOD = "Je n'ai pas trouvé cela dans la politique. Essayez `politique` pour voir les sections."
LOOKUP_UNAVAILABLE = "Je ne peux pas consulter la politique pour le moment : {reason}"
HELLO = (
    "Bonjour! Collez un brouillon de publication et je vous dirai si vous pouvez le publier, ou posez-moi une question "
    "sur la politique (« Puis-je utiliser mon courriel professionnel sur LinkedIn? »). Tapez `aide` pour voir tout ce que je peux faire."
)
NOTHING_TO_APPEAL = "Votre dernier brouillon pouvait être publié (*ok*), il n'y a donc pas lieu de faire appel. Collez un autre brouillon quand vous voulez."
NO_REVIEW_NEEDED = (
    "Votre dernier brouillon n'a pas besoin de relecture : le verdict était {verdict} pour un compte personnel. "
    "Les communications relisent les brouillons destinés au compte officiel et ceux qui ont reçu *review* ou *stop*."
)
WHY_INTRO = "Le verdict est *{verdict}* en raison de ce que dit la politique ici :"
WHY_OK = (
    "Je n'ai rien trouvé que la politique vous demande de modifier : aucun renseignement personnel, rien de confidentiel, "
    "rien de partisan là où ce n'est pas permis, aucune opinion qui exige un avertissement. `politique <sujet>` affiche n'importe quelle section."
)
FOLLOW_UP_EXPIRED = (
    "Je n'ai plus votre dernier brouillon. Collez-le de nouveau et utilisez les boutons sous le verdict."
)
YOU_ARE_WELCOME = "Avec plaisir! Envoyez-moi un autre brouillon ou une question quand vous voulez."
NOTED = (
    "D'accord. Collez un brouillon quand vous en avez un, ou posez-moi une question sur la politique. "
    "Vous vous demandez pourquoi j'ai rendu un verdict? Chaque constat indique la section de la politique sur laquelle il repose "
    "(`politique <sujet>` affiche une section en entier), et le bouton *Je crois que c'est une erreur* sous le verdict "
    "demande à une personne de réexaminer le brouillon."
)
SEND_THE_DRAFT = "Bien sûr : collez ici le texte de la publication et je la vérifie."
ASK_INTENT = "Dois-je vérifier ceci comme une publication, ou y répondre comme à une question sur la politique?"
CHECK_AS_POST = "Vérifier comme publication"
ANSWER_AS_QUESTION = "Répondre comme à une question"
NOTHING_TO_STOP = "Il n'y a rien à arrêter : aucun quiz ni aucune question n'attend de réponse."
STOPPED = "C'est arrêté. Envoyez un brouillon ou une question quand vous voulez."
REWRITE_INTRO = (
    "Voici une reformulation suggérée. Je l'ai vérifiée de nouveau et je n'ai rien trouvé de contraire à la politique :"
)
REWRITE_NONE = "Je n'ai pas réussi à rédiger une version conforme à la politique. Servez-vous des constats ci-dessus, ou envoyez le brouillon en relecture."
REWRITE_UNAVAILABLE = (
    "Les reformulations nécessitent le point de terminaison LLM facultatif, qui n'est pas configuré ici."
)
SUGGEST_REWRITE = "Suggérer une reformulation"
SOURCES = "_Sources : {sources}_"
SUGGESTED_DISCLAIMER = "Avertissement suggéré : _{disclaimer}_"
PRE = "```\n{text}\n```"
HOME_QUEUE = "*File de relecture* : {count} élément(s) en attente"
QUEUE_COUNT = "{count} élément(s) en attente :"
DRAFT_PURGED = "_(texte du brouillon supprimé)_"
DECIDED_BY = "Décision : {status} par {who}"
HOME_INTRO = "*policybot* vérifie vos brouillons pour les médias sociaux selon la politique {policy}. Envoyez-moi un brouillon en message direct, ou tapez `aide`."
LOOKUP_WHICH = "Quel sujet? Par exemple `politique avertissement`. Les sections :"
LOOKUP_NONE = "Je n'ai trouvé aucune section sur {topic!r}. Les sections sont : {titles}."
LOOKUP_SEE_ALSO = "Voir aussi :"

SETTINGS_SAVED = "Enregistré. {what}"
SETTINGS_BAD = "Je n'ai pas pu utiliser cette valeur : {reason}. Tapez `paramètres` pour voir vos paramètres."
SETTINGS_UNKNOWN = "Il n'y a aucun paramètre nommé {name!r}. Les paramètres sont : {known}."
SETTINGS_HINT = (
    "Aussi : `paramètres fuseau America/Montreal`, `paramètres heures 8 h 30 à 17 h` (ou `9-17`, `22-6`), "
    "`paramètres pause 3 jours` (ou `1 semaine`, `toujours`), `paramètres relances non`, "
    "`paramètres langue en` (`en`, `fr`, `es` ou `auto`)."
)
HOURS_LINE = "{hours}, du lundi au vendredi"
NUDGES_LINE = "Les rappels de quiz sont {state}."
REMINDERS_ON = "Les rappels d'avertissement sont activés."
REMINDERS_OFF = "Les rappels d'avertissement sont désactivés."
SAVED_TIMEZONE = "Votre fuseau horaire est {zone}."
SAVED_HOURS = "Heures de travail : {hours}, du lundi au vendredi."
SAVED_CONTEXT = "J'utiliserai ce choix pour vos brouillons."
UNKNOWN_COMMAND = "Je ne connais pas cette commande."
DRAFT_ERROR = "Je ne peux pas vérifier cela : {reason}"
STORE_ERROR = "Désolé, je ne peux pas joindre ma base de données pour le moment ({reason}). Rien n'a été modifié; veuillez réessayer dans une minute."
SETTINGS_UNAVAILABLE = (
    "Vos paramètres sont momentanément indisponibles, j'ai donc vérifié ceci dans le contexte le plus strict."
)
STALE_BUTTON = "Ce bouton provient d'un ancien message et ne s'applique plus."

# Libellés des boutons, noms des champs et notes.
SETTINGS_TITLE = "Vos paramètres"
SETTING_FIELDS = {
    "context": "Brouillons vérifiés comme",
    "zone": "Fuseau horaire",
    "hours": "Heures de travail",
    "nudges": "Rappels de quiz",
    "reminders": "Rappels d'avertissement",
    "language": "Langue",
}
ACCOUNT_WORDS = {"personal": "compte personnel", "official": "compte officiel"}
DUTY_WORDS = {"on": "en service", "off": "hors service"}
ASK_ACCOUNT = "Je demande quel compte lorsque c'est pertinent"
ASK_DUTY = "Je demande si vous êtes en service lorsque c'est pertinent"
ASK_BOTH = "Je demande lorsque c'est pertinent (quel compte, en service ou hors service)"
ON, OFF = "activés", "désactivés"
SNOOZED_UNTIL = "suspendus jusqu'au {until}"
SETTING_BUTTONS = {
    ("account", "personal"): "Compte personnel",
    ("account", "official"): "Compte officiel",
    ("duty", "on"): "En service",
    ("duty", "off"): "Hors service",
    ("account", "ask"): "Toujours demander",
    ("nudges", "off"): "Couper rappels de quiz",
    ("nudges", "on"): "Activer rappels de quiz",
    ("snooze", "1 week"): "Suspendre les quiz 1 semaine",
    ("reminders", "off"): "Couper rappels d'avertissement",
    ("reminders", "on"): "Activer rappels d'avertissement",
}
CONTEXT_BUTTONS = {
    ("personal", False): "Compte personnel, hors service",
    ("personal", True): "Compte personnel, en service",
    ("official", True): "Compte officiel",
}
CHECKED_AS = "vérifié comme : {context}"
CHECKED_AS_MOOT = "vérifié comme : {context} (cela n'a rien changé ici)"
QUIZ_SECTION = "Section de la politique : {title}"
TRAINING_TITLE = "Formation"
TRAINING_FIELDS = {"taken": "Quiz réalisés", "last": "Dernier quiz", "all": "Toutes les réponses"}
TRAINING_NONE = "aucun pour l'instant : tapez `quiz`"
TRAINING_LAST = "{score}/{total} le {when}"
TRAINING_ALL = "{right}/{total} bonnes réponses"
REVIEW_TITLES = {"draft": "Brouillon pour approbation préalable #{id}", "appeal": "Appel d'un verdict #{id}"}
REVIEW_FIELDS = {
    "item": "Élément",
    "from": "De",
    "context": "Vérifié comme",
    "verdict": "Verdict",
    "findings": "Constats",
    "sent": "Envoyé",
    "reason": "Motif de l'auteur",
}
REVIEW_BUTTONS = {
    "draft": (("Approuver", "approve"), ("Renvoyer", "send_back")),
    "appeal": (("Maintenir le verdict", "uphold"), ("Annuler le verdict", "overturn")),
}

BANDS = {"possible": "possible", "likely": "probable", "very likely": "très probable"}
FOUND = "trouvé"
VERDICT_WORD = "Verdict"
POSSIBLY = "Peut-être : {message}"
WHOLE_POST = "tout le message"
READS_LIKE = "ressemble à"
LANGUAGE_AUTO = "la langue dans laquelle vous écrivez"
SAVED_LANGUAGE = "Je vous répondrai en {language}."

HOURS_HELP = "les heures de travail s'écrivent 9-17, 9 h à 17 h, 8:30-17:00 ou 22-6 pour un quart de nuit"
HOURS_SAME = "les heures de travail ne peuvent pas commencer et finir à la même heure"
SNOOZE_HELP = "la pause prend un nombre de jours ou de semaines (3, 3 jours, 1 semaine) ou toujours"
SNOOZE_RANGE = "une pause de 1 à {most} jours, ou toujours"
ZONE_UNKNOWN = "je ne connais pas le fuseau horaire {zone!r}"
ZONE_DID_YOU_MEAN = "; vouliez-vous dire {zone} ?"
ZONE_EXAMPLE = " (utilisez un nom comme America/Montreal)"
SWITCH_HELP = "répondez oui ou non"
CHOOSE_ONE = "choisissez {options} ou ask"
CHOOSE_LANGUAGE = "choisissez fr, es, en ou auto"

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
DATE_IN_WORDS = "{weekday} {day} {month} {year}"
NIGHT_SHIFT = "quart de nuit"

HOWTO_TIMEZONE = "Pour choisir votre fuseau horaire, tapez `paramètres fuseau` suivi de son nom, par exemple `paramètres fuseau America/Montreal` ou `paramètres fuseau Europe/Paris`."
HOWTO_HOURS = "Pour choisir vos heures de travail, tapez `paramètres heures 9-17` (ou `8 h 30 à 17 h`, `22-6` pour un quart de nuit). Les relances de quiz n'arrivent que pendant ces heures."
HOWTO_NUDGES = "Pour arrêter les relances de quiz, tapez `paramètres relances non` (`oui` pour les rétablir), ou mettez-les en pause avec `paramètres pause 1 semaine`. Ou utilisez un bouton ci-dessous."
HOWTO_REMINDERS = "Pour arrêter les rappels d'avertissement, tapez `paramètres rappels non` (`oui` pour les rétablir), ou utilisez le bouton ci-dessous."
HOWTO_LANGUAGE = "Pour choisir ma langue, tapez `paramètres langue en` (`en`, `fr`, `es`, ou `auto` pour répondre dans la langue où vous écrivez)."
