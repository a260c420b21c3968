"""Los textos del bot en español (los nombres son los de bot/texts.py)."""

HELP = """Verifico los borradores para redes sociales según la política de {agency} antes de que usted publique.

*Envíeme un borrador* (solo péguelo) y le responderé *ok*, *disclaimer* (descargo), *review* (revisión) o *stop* (no publicar), con la sección de la política en que se basa cada hallazgo y una versión corregida.
Empiece un borrador con `official:` o `personal:` (y `on duty:` / `off duty:`) para verificarlo una sola vez en otro contexto.
Después de un veredicto, use sus botones o escriba `¿por qué?`, `apelar`, `envíalo a revisión`, `pon el descargo` o `es para la cuenta oficial`.

Comandos:
• `política <tema>`: consulta una sección de la política (`política descargo`, `política ley Hatch`)
• `quiz`: un quiz de {quiz_length} preguntas
• `ajustes`: su tipo de cuenta, si suele estar de servicio, zona horaria, horario laboral, recordatorios
• `ayuda`: este mensaje
Los revisores también tienen `queue`: los casos de revisión abiertos."""

SUMMARIES = {
    "ok": "Se puede publicar. No encontré nada contrario a la política.",
    "disclaimer": "Puede publicarlo con un descargo de opiniones personales.",
    "review": "Pida una revisión antes de publicarlo.",
    "stop": "No publique esto.",
}

ASK_CONTEXT = "Antes de responder: el veredicto depende de dónde publica y de si está de servicio. ¿Cuál es su caso?"
ASK_CONTEXT_ONCE = "Verificar este borrador como:"
ASK_CONTEXT_AGAIN = "Eso todavía cambia el veredicto de este borrador. ¿Cuál es su caso?"
CONTEXT_FIRST = "Dígame primero dónde lo publicará; después podré responder."
JUST_THIS_DRAFT = "Verifiqué solo este borrador como *{context}*. ¿Lo uso de ahora en adelante?"
FROM_NOW_ON = "Sí, de ahora en adelante"
ADD_DISCLAIMER = "Agregar el descargo"
WHAT_TO_REMOVE = "¿Qué debo quitar?"
SEND_FOR_REVIEW = "Pedir revisión a comunicaciones"
APPEAL = "Creo que esto es un error"
CHANGE_CONTEXT = "Cambiar cuenta / servicio"
BUTTON_EXPIRED = "Este botón ya venció. Envíe el borrador de nuevo y lo verificaré otra vez."
TOO_COMPLEX = "Es demasiado complejo para verificarlo de una sola vez. Envíelo por partes, por favor."
SOMETHING_WRONG = "Lo siento, algo falló de mi lado. No se guardó nada; inténtelo de nuevo."
SKIP_COMMENT = "Omitir el comentario"
CONTEXT_SAVED = "Entendido: recordaré *{context}* como su opción predeterminada. Puede cambiarla con el botón debajo de un veredicto o en `ajustes`."
DRAFT_EXPIRED = "Ya no tengo ese borrador (nunca guardo borradores). Envíelo de nuevo, por favor."
FIXED_INTRO = "Esta es una versión corregida:"
FIX_NOTHING = "No hay nada que corregir: el borrador está bien así."
FIX_STOP = "Quite esto antes de publicar (o envíelo a revisión):"
REMOVE_LINE = "• {quoted}: {why}"
FIX_PLACEHOLDERS = "Aquí está con los datos personales reemplazados:"
FIX_PLACEHOLDERS_AND_DISCLAIMER = "Aquí está con los datos personales reemplazados y el descargo agregado:"
SENT_FOR_REVIEW = "Enviado a comunicaciones para revisión como caso #{id}. Le avisaré el resultado. El borrador se conserva como máximo {days} días."
APPEAL_ASK_REASON = "Apelación #{id} creada. Dígame en un solo mensaje por qué cree que el veredicto es incorrecto, o escriba `skip` (u `omitir`)."
APPEAL_SENT = "Apelación #{id} enviada a los revisores. Le avisaré lo que decidan."
NOT_A_REVIEWER = "Solo los revisores pueden decidir los casos de revisión. Pregunte a su oficina de comunicaciones si usted debería ser revisor."
ALREADY_DECIDED = "El caso #{id} ya se decidió: {status} por {who}. No cambió nada."
NO_SUCH_ITEM = "No existe el caso de revisión #{id}."
ASK_COMMENT = "¿Algún comentario para el autor del caso #{id}? Envíelo en un solo mensaje u omítalo."
DECIDED = "Caso #{id}: {status}. Ya le avisé al autor."
QUEUE_EMPTY = "La cola de revisión está vacía."
OUTCOMES = {
    "approved": "✅ Comunicaciones aprobó su borrador #{id}. Puede publicarlo.",
    "sent_back": "↩️ Comunicaciones le devolvió su borrador #{id}: {comment}",
    "upheld": "Su apelación #{id} fue revisada: el veredicto se mantiene.{comment_part}",
    "overturned": "✅ Su apelación #{id} fue aceptada: el veredicto era incorrecto y puede publicar el borrador.{comment_part}",
}
STATUS_WORDS = {"approved": "aprobado", "sent_back": "devuelto", "upheld": "confirmado", "overturned": "revocado"}

QUIZ_NOT_OPEN = "Esa pregunta ya no está abierta. Escriba `quiz` para empezar un quiz nuevo."
NUDGE_INTRO = "Es hora de repasar la política con una sola pregunta:"
REMINDER = (
    "¿Su perfil en redes sociales incluye un descargo de opiniones personales? Si menciona su cargo, "
    "debería incluirlo, por ejemplo: _{disclaimer}_"
)
REMINDER_YES = "Sí, lo incluye"
REMINDER_STOP = "Detener estos recordatorios"
REMINDER_THANKS = "¡Gracias! Volveré a preguntarle en unos meses."
QUIZ_QUESTION = "*Pregunta {number} de {total}:* {prompt}"
QUIZ_NONE_OPEN = "No hay ningún quiz abierto. Escriba `quiz` para empezar uno."
QUIZ_PICK = "Elija 1–{last} (o escriba la respuesta), o escriba `detener` para salir del quiz."
QUIZ_EMPTY = "El paquete de políticas no tiene preguntas de quiz."
QUIZ_RIGHT = "✅ Correcto."
QUIZ_WRONG = "❌ No exactamente: la respuesta es *{answer}*."
QUIZ_DONE = "Quiz terminado: {score}/{total}. Su resultado quedó registrado."

ANSWER_PASSAGE = "Según *{title}*:\n> {passage}"
READ_SECTION = "Leer la sección completa"
SHORT_NO = "Respuesta corta: no. {message} ({section})"
SHORT_REVIEW = "Respuesta corta: solo después de una revisión. {message} ({section})"
SHORT_DISCLAIMER = "Respuesta corta: sí, con un descargo. {message} ({section})"
QUESTION_NOT_UNDERSTOOD = "No encontré eso en la política. Pruebe `política` para ver las secciones."
LOOKUP_UNAVAILABLE = "No puedo buscar en la política en este momento: {reason}"
HELLO = (
    "¡Hola! Pegue un borrador de publicación y le diré si se puede publicar, o pregúnteme sobre la política "
    '("¿puedo usar mi correo del trabajo en LinkedIn?"). Escriba `ayuda` para ver todo lo que puedo hacer.'
)
NOTHING_TO_APPEAL = (
    "Su último borrador se podía publicar, así que no hay nada que apelar. Pegue otro borrador cuando quiera."
)
NO_REVIEW_NEEDED = (
    "Su último borrador no necesita revisión: fue {verdict} en una cuenta personal. Comunicaciones revisa "
    "los borradores de la cuenta oficial y los que recibieron *review* o *stop*."
)
WHY_INTRO = "Es *{verdict}* por lo que dice la política aquí:"
WHY_OK = (
    "No encontré nada que la política le pida cambiar: ningún dato personal, nada confidencial, nada "
    "partidista donde no está permitido, ninguna opinión que necesite un descargo. `política <tema>` muestra cualquier sección."
)
FOLLOW_UP_EXPIRED = "Ya no tengo su último borrador. Péguelo de nuevo y use los botones debajo del veredicto."
YOU_ARE_WELCOME = "¡De nada! Envíeme otro borrador o una pregunta cuando quiera."
NOTED = (
    "De acuerdo. Pegue un borrador cuando tenga uno, o pregúnteme sobre la política. ¿Se pregunta por qué di un veredicto? "
    "Cada hallazgo indica la sección de la política en que se basa (`política <tema>` muestra una sección completa), y "
    "*Creo que esto es un error* debajo del veredicto pide que una persona lo vuelva a revisar."
)
SEND_THE_DRAFT = "Claro: pegue aquí el texto de la publicación y la reviso."
ASK_INTENT = "¿Lo verifico como publicación o lo respondo como una pregunta sobre la política?"
CHECK_AS_POST = "Verificar como publicación"
ANSWER_AS_QUESTION = "Responder como pregunta"
NOTHING_TO_STOP = "No hay nada que detener: ningún quiz ni pregunta está esperando respuesta."
STOPPED = "Detenido. Envíe un borrador o una pregunta cuando quiera."
REWRITE_INTRO = "Esta es una redacción sugerida. La verifiqué de nuevo y no encontré nada contrario a la política:"
REWRITE_NONE = "No pude escribir una versión que cumpla la política. Use los hallazgos de arriba o envíelo a revisión."
REWRITE_UNAVAILABLE = "Las redacciones sugeridas necesitan el servicio LLM opcional, que no está configurado aquí."
SUGGEST_REWRITE = "Sugerir otra redacción"
SOURCES = "_Fuentes: {sources}_"
SUGGESTED_DISCLAIMER = "Descargo sugerido: _{disclaimer}_"
PRE = "```\n{text}\n```"
HOME_QUEUE = "*Cola de revisión*: {count} caso(s) abierto(s)"
QUEUE_COUNT = "{count} caso(s) abierto(s):"
DRAFT_PURGED = "_(texto del borrador eliminado)_"
DECIDED_BY = "Decidido: {status} por {who}"
HOME_INTRO = "*policybot* verifica sus borradores para redes sociales según la política de {policy}. Envíeme un borrador por mensaje directo o escriba `ayuda`."
LOOKUP_WHICH = "¿Qué tema? Por ejemplo, `política descargo`. Las secciones:"
LOOKUP_NONE = "No encontré ninguna sección sobre {topic!r}. Las secciones son: {titles}."
LOOKUP_SEE_ALSO = "Vea también:"

SETTINGS_SAVED = "Guardado. {what}"
SETTINGS_BAD = "No pude usar eso: {reason}. Escriba `ajustes` para ver los suyos."
SETTINGS_UNKNOWN = "No existe ningún ajuste llamado {name!r}. Los ajustes son: {known}."
SETTINGS_HINT = (
    "Además: `ajustes zona America/Mexico_City`, `ajustes horario 8:30-17` (o `9 a 17`, `22-6`), "
    "`ajustes pausa 3 días` (o `1 semana`, `siempre`), `ajustes avisos no`, "
    "`ajustes idioma en` (`en`, `fr`, `es` o `auto`)."
)
HOURS_LINE = "{hours}, lun–vie"
NUDGES_LINE = "Los recordatorios de quiz están {state}."
REMINDERS_ON = "Los recordatorios de descargo están activados."
REMINDERS_OFF = "Los recordatorios de descargo están desactivados."
SAVED_TIMEZONE = "Su zona horaria es {zone}."
SAVED_HOURS = "Horario laboral: {hours}, lun–vie."
SAVED_CONTEXT = "Usaré esto para sus borradores."
UNKNOWN_COMMAND = "No conozco ese comando."
DRAFT_ERROR = "No puedo verificar eso: {reason}"
STORE_ERROR = "Lo siento, no puedo acceder a mi base de datos en este momento ({reason}). No se cambió nada; inténtelo de nuevo en un minuto."
SETTINGS_UNAVAILABLE = (
    "Sus ajustes no están disponibles por un momento, así que verifiqué esto en el contexto más estricto."
)
STALE_BUTTON = "Ese botón es de un mensaje anterior y ya no se aplica."

# Etiquetas de botones, nombres de campos y notas.
SETTINGS_TITLE = "Sus ajustes"
SETTING_FIELDS = {
    "context": "Los borradores se verifican como",
    "zone": "Zona horaria",
    "hours": "Horario laboral",
    "nudges": "Recordatorios de quiz",
    "reminders": "Recordatorios de descargo",
    "language": "Idioma",
}
ACCOUNT_WORDS = {"personal": "cuenta personal", "official": "cuenta oficial"}
DUTY_WORDS = {"on": "de servicio", "off": "fuera de servicio"}
ASK_ACCOUNT = "Le pregunto qué cuenta usa cuando es relevante"
ASK_DUTY = "Le pregunto si está de servicio cuando es relevante"
ASK_BOTH = "Le pregunto cuando es relevante (qué cuenta, de servicio o fuera de servicio)"
ON, OFF = "activados", "desactivados"
SNOOZED_UNTIL = "pausados hasta {until}"
SETTING_BUTTONS = {
    ("account", "personal"): "Cuenta personal",
    ("account", "official"): "Cuenta oficial",
    ("duty", "on"): "De servicio",
    ("duty", "off"): "Fuera de servicio",
    ("account", "ask"): "Preguntar siempre",
    ("nudges", "off"): "Sin recordatorios de quiz",
    ("nudges", "on"): "Con recordatorios de quiz",
    ("snooze", "1 week"): "Pausar quiz 1 semana",
    ("reminders", "off"): "Sin recordatorios de descargo",
    ("reminders", "on"): "Con recordatorios de descargo",
}
CONTEXT_BUTTONS = {
    ("personal", False): "Cuenta personal, fuera de servicio",
    ("personal", True): "Cuenta personal, de servicio",
    ("official", True): "Cuenta oficial",
}
CHECKED_AS = "verificado como: {context}"
CHECKED_AS_MOOT = "verificado como: {context} (aquí no cambió nada)"
QUIZ_SECTION = "Sección de la política: {title}"
TRAINING_TITLE = "Capacitación"
TRAINING_FIELDS = {"taken": "Quizzes realizados", "last": "Último quiz", "all": "Todas las respuestas"}
TRAINING_NONE = "ninguno aún: escriba `quiz`"
TRAINING_LAST = "{score}/{total} el {when}"
TRAINING_ALL = "{right}/{total} correctas"
REVIEW_TITLES = {"draft": "Borrador para aprobación previa #{id}", "appeal": "Apelación de un veredicto #{id}"}
REVIEW_FIELDS = {
    "item": "Caso",
    "from": "De",
    "context": "Verificado como",
    "verdict": "Veredicto",
    "findings": "Hallazgos",
    "sent": "Enviado",
    "reason": "Motivo del autor",
}
REVIEW_BUTTONS = {
    "draft": (("Aprobar", "approve"), ("Devolver", "send_back")),
    "appeal": (("Confirmar el veredicto", "uphold"), ("Revocar", "overturn")),
}

BANDS = {"possible": "posible", "likely": "probable", "very likely": "muy probable"}
FOUND = "encontrado"
VERDICT_WORD = "Veredicto"
POSSIBLY = "Posiblemente: {message}"
WHOLE_POST = "toda la publicación"
READS_LIKE = "se parece a"
LANGUAGE_AUTO = "el idioma en que usted escribe"
SAVED_LANGUAGE = "Le responderé en {language}."

HOURS_HELP = "el horario se escribe 9-17, 9 a 17, 8:30-17:00 o 22-6 para un turno de noche"
HOURS_SAME = "el horario no puede empezar y terminar a la misma hora"
SNOOZE_HELP = "la pausa toma un número de días o semanas (3, 3 días, 1 semana) o siempre"
SNOOZE_RANGE = "una pausa de 1 a {most} días, o siempre"
ZONE_UNKNOWN = "no conozco la zona horaria {zone!r}"
ZONE_DID_YOU_MEAN = "; ¿quiso decir {zone}?"
ZONE_EXAMPLE = " (use un nombre como America/Mexico_City)"
SWITCH_HELP = "responda sí o no"
CHOOSE_ONE = "elija {options} o ask"
CHOOSE_LANGUAGE = "elija es, fr, en o auto"

WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
DATE_IN_WORDS = "el {weekday} {day} de {month} de {year}"
NIGHT_SHIFT = "turno de noche"

HOWTO_TIMEZONE = "Para elegir su zona horaria, escriba `ajustes zona` y su nombre, por ejemplo `ajustes zona America/Mexico_City` o `ajustes zona Europe/Madrid`."
HOWTO_HOURS = "Para elegir su horario de trabajo, escriba `ajustes horario 9-17` (o `8:30-17`, `22-6` para un turno de noche). Los avisos de cuestionario solo llegan dentro de ese horario."
HOWTO_NUDGES = "Para dejar de recibir avisos de cuestionario, escriba `ajustes avisos no` (`sí` los vuelve a activar), o páuselos con `ajustes pausa 1 semana`. O use un botón de abajo."
HOWTO_REMINDERS = "Para dejar de recibir recordatorios del descargo, escriba `ajustes recordatorios no` (`sí` los vuelve a activar), o use el botón de abajo."
HOWTO_LANGUAGE = "Para elegir mi idioma, escriba `ajustes idioma en` (`en`, `fr`, `es`, o `auto` para responder en el idioma en que usted escribe)."
