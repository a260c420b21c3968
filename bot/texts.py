"""Every text the bot says to a user, in one place."""

HELP = """I check social-media drafts against {agency}'s policy before you post.

*Send me a draft* (just paste it) and I'll answer *ok*, *disclaimer*, *review* or *stop*, with the policy section behind each finding and a fixed version.
Start a draft with `official:` or `personal:` (and `on duty:` / `off duty:`) to check it in another context once.
After a verdict, press its buttons or type `why?`, `appeal`, `send it for review`, `add the disclaimer` or `it's for the official account`.

Commands:
• `policy <topic>`: look a policy section up (`policy disclaimer`, `policy hatch act`)
• `quiz`: a {quiz_length}-question quiz
• `settings`: your account type, on-duty default, time zone, working hours, nudges
• `help`: this message
Reviewers also have `queue`: the open review items."""

SUMMARIES = {
    "ok": "Good to post. I found nothing against the policy.",
    "disclaimer": "You can post this with a personal-views disclaimer.",
    "review": "Have this reviewed before posting.",
    "stop": "Don't post this.",
}

BANDS = {"possible": "possible", "likely": "likely", "very likely": "very likely"}
FOUND = "found"
VERDICT_WORD = "Verdict"
POSSIBLY = "Possibly: {message}"
WHOLE_POST = "the whole post"
READS_LIKE = "reads like"

ASK_CONTEXT = "Before I answer: the verdict depends on where you post and whether you are on duty. Which is it?"
ASK_CONTEXT_ONCE = "Check this draft as:"
ASK_CONTEXT_AGAIN = "That still changes the verdict for this draft. Which is it?"
CONTEXT_FIRST = "First tell me where you'll post it; then I can answer that."
JUST_THIS_DRAFT = "I checked just this draft as *{context}*. Use that from now on?"
FROM_NOW_ON = "Yes, from now on"
ADD_DISCLAIMER = "Add the disclaimer"
WHAT_TO_REMOVE = "What should I remove?"
SEND_FOR_REVIEW = "Send to communications for review"
APPEAL = "I think this is wrong"
CHANGE_CONTEXT = "Change account / duty"
BUTTON_EXPIRED = "This button has expired. Send the draft again and I'll check it afresh."
TOO_COMPLEX = "That is too complex for me to check in one go. Please send it in parts."
SOMETHING_WRONG = "Sorry, something went wrong on my side. Nothing was saved; please try again."
SKIP_COMMENT = "Skip the comment"
CONTEXT_SAVED = "Got it: I'll remember *{context}* as your default. You can change it with the button under a verdict or in `settings`."
DRAFT_EXPIRED = "I no longer have that draft (I never store drafts). Please send it again."
FIXED_INTRO = "Here is a fixed version:"
FIX_NOTHING = "There is nothing to fix: the draft is fine as it is."
FIX_STOP = "Take these out before you post (or send it for review):"
REMOVE_LINE = "• {quoted}: {why}"
FIX_PLACEHOLDERS = "Here it is with the personal data replaced:"
FIX_PLACEHOLDERS_AND_DISCLAIMER = "Here it is with the personal data replaced and the disclaimer added:"
SENT_FOR_REVIEW = "Sent to communications for review as item #{id}. I'll tell you the outcome. The draft is kept for at most {days} days."
APPEAL_ASK_REASON = "Appeal #{id} created. Tell me in one message why you think the verdict is wrong, or say `skip`."
APPEAL_SENT = "Appeal #{id} sent to the reviewers. I'll tell you what they decide."
NOT_A_REVIEWER = "Only reviewers can decide review items. Ask your communications office if you should be one."
ALREADY_DECIDED = "Item #{id} was already decided: {status} by {who}. Nothing changed."
NO_SUCH_ITEM = "There is no review item #{id}."
ASK_COMMENT = "Any comment for the author of item #{id}? Send it in one message, or skip it."
DECIDED = "Item #{id}: {status}. I told the author."
QUEUE_EMPTY = "The review queue is empty."
OUTCOMES = {
    "approved": "✅ Your draft #{id} was approved by communications. You can post it.",
    "sent_back": "↩️ Your draft #{id} was sent back by communications: {comment}",
    "upheld": "Your appeal #{id} was reviewed: the verdict stands.{comment_part}",
    "overturned": "✅ Your appeal #{id} was accepted: the verdict was wrong and you can post the draft.{comment_part}",
}
STATUS_WORDS = {"approved": "approved", "sent_back": "sent back", "upheld": "upheld", "overturned": "overturned"}

QUIZ_NOT_OPEN = "That question is no longer open. Type `quiz` to start a new quiz."
NUDGE_INTRO = "Time for a one-question policy refresher:"
REMINDER = (
    "Does your social-media profile carry a personal-views disclaimer? If it names your job, "
    "it should, for example: _{disclaimer}_"
)
REMINDER_YES = "Yes, it does"
REMINDER_STOP = "Stop these reminders"
REMINDER_THANKS = "Thanks! I'll ask again in a few months."
QUIZ_QUESTION = "*Question {number} of {total}:* {prompt}"
QUIZ_NONE_OPEN = "No quiz is open. Type `quiz` to start one."
QUIZ_PICK = "Pick 1–{last} (or type the answer), or type `stop` to leave the quiz."
QUIZ_EMPTY = "The policy pack has no quiz questions."
QUIZ_RIGHT = "✅ Right."
QUIZ_WRONG = "❌ Not quite: the answer is *{answer}*."
QUIZ_DONE = "Quiz complete: {score}/{total}. Your result is recorded."

ANSWER_PASSAGE = "From *{title}*:\n> {passage}"
READ_SECTION = "Read the whole section"
SHORT_NO = "Short answer: no. {message} ({section})"
SHORT_REVIEW = "Short answer: only after review. {message} ({section})"
SHORT_DISCLAIMER = "Short answer: yes, with a disclaimer. {message} ({section})"
QUESTION_NOT_UNDERSTOOD = "I couldn't find that in the policy. Try `policy` to see the sections."
LOOKUP_UNAVAILABLE = "I can't search the policy right now: {reason}"
HELLO = (
    "Hi! Paste a draft post and I'll tell you whether it's OK to post, or ask me about the policy "
    '("can I use my work email on LinkedIn?"). Type `help` for everything I can do.'
)
NOTHING_TO_APPEAL = "Your last draft was ok to post, so there is nothing to appeal. Paste another draft any time."
NO_REVIEW_NEEDED = (
    "Your last draft needs no review: it was {verdict} on a personal account. Communications review "
    "official-account drafts and drafts answered review or stop."
)
WHY_INTRO = "It is *{verdict}* because of what the policy says here:"
WHY_OK = (
    "I found nothing the policy asks you to change: no personal data, nothing confidential, nothing "
    "partisan where it is not allowed, no view that needs a disclaimer. `policy <topic>` shows any section."
)
FOLLOW_UP_EXPIRED = "I no longer hold your last draft. Paste it again and use the buttons under the verdict."
YOU_ARE_WELCOME = "You're welcome! Send me another draft or question any time."
NOTED = (
    "OK. Paste a draft when you have one, or ask me about the policy. Wondering why I gave a verdict? "
    "Each finding names the policy section behind it (`policy <topic>` shows a section in full), and "
    f"*{APPEAL}* under the verdict asks a person to look again."
)
SEND_THE_DRAFT = "Sure: paste the text of the post here and I'll check it."
ASK_INTENT = "Should I check this as a post, or answer it as a question about the policy?"
CHECK_AS_POST = "Check this as a post"
ANSWER_AS_QUESTION = "Answer it as a question"
NOTHING_TO_STOP = "There is nothing to stop: no quiz or question is waiting for an answer."
STOPPED = "Stopped. Send a draft or a question whenever you like."
REWRITE_INTRO = "Here is a suggested rewrite. I checked it again and found nothing against the policy:"
REWRITE_NONE = "I couldn't write a version that passes the policy. Use the findings above, or send it for review."
REWRITE_UNAVAILABLE = "Rewrites need the optional LLM endpoint, which is not set up here."
SUGGEST_REWRITE = "Suggest a rewrite"
SOURCES = "_Sources: {sources}_"
SUGGESTED_DISCLAIMER = "Suggested disclaimer: _{disclaimer}_"
PRE = "```\n{text}\n```"
HOME_QUEUE = "*Review queue*: {count} open item(s)"
QUEUE_COUNT = "{count} open item(s):"
DRAFT_PURGED = "_(draft text purged)_"
DECIDED_BY = "Decided: {status} by {who}"
HOME_INTRO = "*policybot* checks your social-media drafts against the {policy} policy. Send me a draft in a direct message, or type `help`."
LOOKUP_WHICH = "Which topic? For example `policy disclaimer`. The sections:"
LOOKUP_NONE = "I found no section about {topic!r}. The sections are: {titles}."
LOOKUP_SEE_ALSO = "See also:"

SETTINGS_SAVED = "Saved. {what}"
SETTINGS_BAD = "I couldn't use that: {reason}. Type `settings` to see yours."
SETTINGS_UNKNOWN = "There is no setting called {name!r}. The settings are: {known}."
SETTINGS_HINT = (
    "Also: `settings timezone Europe/London`, `settings hours 8:30-17` (or `9am-5pm`, `22-6`), "
    "`settings snooze 3 days` (or `1 week`, `forever`), `settings nudges off`, "
    "`settings language fr` (`en`, `fr`, `es` or `auto`)."
)
HOURS_LINE = "{hours}, Mon–Fri"
NUDGES_LINE = "Quiz nudges are {state}."
REMINDERS_ON = "Disclaimer reminders are on."
REMINDERS_OFF = "Disclaimer reminders are off."
SAVED_TIMEZONE = "Your time zone is {zone}."
SAVED_HOURS = "Working hours: {hours}, Mon–Fri."
SAVED_CONTEXT = "I'll use this for your drafts."
UNKNOWN_COMMAND = "I don't know that command."
DRAFT_ERROR = "I can't check that: {reason}"
STORE_ERROR = (
    "Sorry, I can't reach my database right now ({reason}). Nothing was changed; please try again in a minute."
)
SETTINGS_UNAVAILABLE = "Your settings are unavailable for a moment, so I checked this in the strictest context."
STALE_BUTTON = "That button is from an older message and no longer applies."

# Button labels, field names and notes.
SETTINGS_TITLE = "Your settings"
SETTING_FIELDS = {
    "context": "Drafts are checked as",
    "zone": "Time zone",
    "hours": "Working hours",
    "nudges": "Quiz nudges",
    "reminders": "Disclaimer reminders",
    "language": "Language",
}
LANGUAGE_AUTO = "the language you write in"
SAVED_LANGUAGE = "I'll answer in {language}."
ACCOUNT_WORDS = {"personal": "personal account", "official": "official account"}
DUTY_WORDS = {"on": "on duty", "off": "off duty"}
ASK_ACCOUNT = "I ask which account when it matters"
ASK_DUTY = "I ask whether you are on duty when it matters"
ASK_BOTH = "I ask when it matters (which account, on or off duty)"
ON, OFF = "on", "off"
SNOOZED_UNTIL = "snoozed until {until}"
SETTING_BUTTONS = {
    ("account", "personal"): "Personal account",
    ("account", "official"): "Official account",
    ("duty", "on"): "On duty",
    ("duty", "off"): "Off duty",
    ("account", "ask"): "Always ask",
    ("nudges", "off"): "Nudges off",
    ("nudges", "on"): "Nudges on",
    ("snooze", "1 week"): "Snooze nudges 1 week",
    ("reminders", "off"): "Reminders off",
    ("reminders", "on"): "Reminders on",
}
CONTEXT_BUTTONS = {
    ("personal", False): "Personal account, off duty",
    ("personal", True): "Personal account, on duty",
    ("official", True): "Official account",
}
CHECKED_AS = "checked as: {context}"
CHECKED_AS_MOOT = "checked as: {context} (it made no difference here)"
QUIZ_SECTION = "Policy section: {title}"
TRAINING_TITLE = "Training"
TRAINING_FIELDS = {"taken": "Quizzes taken", "last": "Last quiz", "all": "All answers"}
TRAINING_NONE = "none yet: type `quiz`"
TRAINING_LAST = "{score}/{total} on {when}"
TRAINING_ALL = "{right}/{total} right"
REVIEW_TITLES = {"draft": "Draft for pre-approval #{id}", "appeal": "Appeal of a verdict #{id}"}
REVIEW_FIELDS = {
    "item": "Item",
    "from": "From",
    "context": "Checked as",
    "verdict": "Verdict",
    "findings": "Findings",
    "sent": "Sent",
    "reason": "Author's reason",
}
REVIEW_BUTTONS = {
    "draft": (("Approve", "approve"), ("Send back", "send_back")),
    "appeal": (("Uphold the verdict", "uphold"), ("Overturn", "overturn")),
}

# Why a typed setting could not be used (bot/human.py, bot/account.py)
HOURS_HELP = "working hours look like 9-17, 9am-5pm, 8:30-17:00 or 22-6 for a night shift"
HOURS_SAME = "working hours must not start and end at the same time"
SNOOZE_HELP = "snooze takes a number of days or weeks (3, 3 days, 1 week) or forever"
SNOOZE_RANGE = "snooze for 1 to {most} days, or forever"
ZONE_UNKNOWN = "I don't know the time zone {zone!r}"
ZONE_DID_YOU_MEAN = "; did you mean {zone}?"
ZONE_EXAMPLE = " (use a name such as Europe/London)"
SWITCH_HELP = "say on or off"
CHOOSE_ONE = "choose {options} or ask"
CHOOSE_LANGUAGE = "choose en, fr, es or auto"

# Dates said in words (bot/human.py say_date)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DATE_IN_WORDS = "{weekday} {day} {month} {year}"
NIGHT_SHIFT = "night shift"

# A question about changing a setting ("how do I change my time zone?"), before the settings card.
HOWTO_TIMEZONE = "To set your time zone, type `settings timezone` and its name, such as `settings timezone Europe/London` or `settings timezone America/Chicago`."
HOWTO_HOURS = "To set your working hours, type `settings hours 9-17` (or `9am-5pm`, `8:30-17:00`, `22-6` for a night shift). Quiz nudges come only inside them."
HOWTO_NUDGES = "To stop quiz nudges, type `settings nudges off` (`on` brings them back), or pause them with `settings snooze 1 week`. Or press a button below."
HOWTO_REMINDERS = (
    "To stop disclaimer reminders, type `settings reminders off` (`on` brings them back), or press the button below."
)
HOWTO_LANGUAGE = "To choose my language, type `settings language fr` (`en`, `fr`, `es`, or `auto` to answer in the language you write in)."
