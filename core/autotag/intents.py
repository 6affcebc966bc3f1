"""Intent labels for automatic tags: an InsTag-style table of intents, their cues, vectors and per-record choice.

MIG uses #InsTag tags (Lu et al. 2023, arXiv 2308.07074): fine-grained intent labels such as "python programming",
"math word problem", "sentiment analysis", "role play", written by an LLM tagger. Without an LLM, sift gives each
record (usually 1-2) **intent labels** from :data:`INTENTS`, ~120 InsTag-style labels written for sift (tasks such
as "code generation", "summarization", "translation", "tool use", "role play", "email writing", plus a few subject
domains such as "history" or "cooking"). Each intent has example requests; its vector is the unit mean of the
embeddings of its label and examples (:func:`intent_vectors`). A record's score for an intent is the cosine between
its embedding and that vector, plus ``cue_bonus`` (x2 for a strong cue) when the intent's cue regex matches the
record's *directive zone* (:func:`intent_cues`; see ``core.autotag.phrases.directive_zone``): its first and last
sentence, where requests state their task ("Summarise this passage: ...", "... How many apples are left?"), while
the embedding alone mostly sees the topic. The best task intent is always taken, a second one while within
``task_margin`` of it, the best domain when clearly ahead (see :func:`choose_intents`).

The table is hand-written data, kept apart from the scoring code so that it can be read and extended on its own.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Sequence

import numpy as np


class Intent(NamedTuple):
    """An intent label: its kind ("task" or "domain"), example requests (for its vector) and two cue regexes.

    Cues are searched in the lowercased directive zone (first and last sentence) of a record: a ``strong`` cue
    (one that names the task outright: "translate", "you are a ...", "toolformer") adds ``2 * cue_bonus`` to the
    record's score for the intent, a ``soft`` one (a hint: "how many", "array") adds ``cue_bonus``.
    """

    label: str
    kind: str
    strong: str
    soft: str
    examples: tuple[str, ...]
    needs_cue: bool = False  #: only given when its strong cue matches (creative and persona intents)


_ROLE = (r"^\W*(?:(?:you are|you're)(?! (?:given|provided|asked|required|supposed|expected|allowed|going|told|shown|"
         r"presented|tasked|to\b|an? (?:helpful|ai\b|artificial|language model|assistant|chatbot)))|"
         r"imagine (?:you are|you're|that you are|yourself)|act as|acting as|pretend|"
         r"play the role|role-?play|assume the role|take (?:on )?the role|if you were (?:a|an)\b|be (?:a|an|my) |"
         r"as an? (?!result\b|matter\b|example\b|whole\b|rule\b|reminder\b)[\w-]+(?: [\w'-]+){0,6},)")
#: A request at the start of a sentence ("Write ...", "Can you compose ...", "Please tell ..."), followed within 40
#: characters by one of the objects: the cue of creative intents, so that "How many poems did she write?" is not one.
_ASK = (r"(?:^|\n|[.?!:]\s+)\W*(?:(?:please|now|can you|could you|would you|will you|i want you to|i'd like you to|"
        r"help me|let's|try to)\s+)?(?:write|compose|create|generate|tell|give|make|make up|come up with|craft|pen|"
        r"draft|produce|share|sing|rewrite|turn|invent|prepare|deliver)\b[^.?!\n]{0,40}\b(?:")


def _ask(objects: str) -> str:
    """The cue regex of a creative intent: a request (:data:`_ASK`) for one of ``objects`` (a regex alternation)."""
    return _ASK + objects + r")\b"


# (label, strong cue, soft cue, example requests separated by " | "); cues are searched in the lowercased
# directive zone (see Intent).
_INTENT_TABLE = (
    # --- programming
    ("code generation",
     r"\b(?:write|create|implement|generate|build|develop|code|design)\b[^.?!\n]{0,40}\b(?:function|program|"
     r"script|class|method|code|snippet|algorithm|module|endpoint|component|app|application|api)s?\b",
     "",
     "Write a function or program that does a task | Implement a class in code | Generate a code snippet"),
    ("python programming",
     r"\bpython\b|\bpandas\b|\bnumpy\b|\bdjango\b|\bflask\b|\bdef \w+\(|\.py\b",
     "",
     "Write a Python function | Python code with a list comprehension | Fix this Python script"),
    ("javascript programming",
     r"\bjavascript\b|\bnode\.?js\b|\breact\b|\btypescript\b|\bjquery\b|\bconsole\.log\b",
     "",
     "Write a JavaScript function | JavaScript code for a web page | Node.js script"),
    ("java programming",
     r"\bjava\b(?!script)|\bpublic static void\b|\bsystem\.out\b",
     "",
     "Write a Java method | Java class with a main method"),
    ("c++ programming",
     r"c\+\+|\bstd::|\bcout\b|#include",
     "",
     "Write a C++ function | C++ program using std::vector"),
    ("c# programming",
     r"\bc#|\.net\b",
     "",
     "Write a C# method | C# class in .NET"),
    ("rust programming",
     r"\brust\b|\bcargo\b",
     "",
     "Write a Rust function | Rust program using ownership and borrowing"),
    ("go programming",
     r"\bgolang\b|\bin go\b|\bgo (?:program|function|code|routine)s?\b|\bgoroutine",
     "",
     "Write a Go function | Go program using goroutines"),
    ("ruby programming",
     r"\bruby\b|\brails\b",
     "",
     "Write a Ruby method | Ruby on Rails controller"),
    ("php programming",
     r"\bphp\b|\blaravel\b",
     "",
     "Write a PHP script | PHP function for a web form"),
    ("swift programming",
     r"\bswift\b|\bswiftui\b|\bios app\b",
     "",
     "Write a Swift function | Swift code for an iOS app"),
    ("kotlin programming",
     r"\bkotlin\b",
     "",
     "Write a Kotlin function | Kotlin code for an Android app"),
    ("r programming",
     r"\bin r\b|\br (?:script|code|function|program)\b|\bggplot",
     "",
     "Write an R script | R code to plot data with ggplot"),
    ("version control",
     r"\bgit\b|\bgithub\b|\bversion control\b|\bcommits?\b|\bmerge conflicts?\b|\bpull requests?\b",
     "",
     "How do I undo a git commit | Explain git merge and git rebase"),
    ("sql query",
     r"\bsql\b|\bmysql\b|\bmongodb\b|\bnosql\b|\bpostgres|\bsqlite\b|\bselect\b[^.]{0,60}\bfrom\b|\bdatabase\b|"
     r"\bquery\b[^.?!]{0,30}\btable\b",
     "",
     "Write a SQL query to select rows from a table | Database query joining tables"),
    ("shell scripting",
     r"\bbash\b|\bshell script|\bcommand line\b|\blinux\b|\bunix\b|\bpowershell\b|\bterminal command",
     "",
     "Write a bash shell script | Linux terminal command to list files"),
    ("web development",
     "",
     r"\bhtml\b|\bcss\b|\bweb ?page\b|\bwebsite\b|\bdom\b|\bfront-?end\b|\bback-?end\b",
     "Create an HTML page with CSS styling | Build a web page form"),
    ("debugging",
     r"\bbugs?\b|\bdebug|\b(?:syntax|runtime|compile) error\b|\bfix (?:the|this|my)\b[^.?!]{0,20}\b(?:code|"
     r"function|program|script|error)\b|\bexception\b|\btraceback\b|\bdoesn'?t work\b|\bnot working\b|"
     r"\berrors? in (?:the|this|my) code\b",
     "",
     "Find and fix the bug in this code | Why does my program raise an error"),
    ("code explanation",
     r"\bexplain\b[^.?!]{0,40}\bcode\b|\bwhat does (?:this|the following) (?:code|function|program|snippet|"
     r"script)\b|\bwhat is the output\b|\bwhat will (?:this|the following) (?:code|program)\b",
     "",
     "Explain what this code does | What is the output of this program"),
    ("algorithms",
     "",
     r"\balgorithms?\b|\bsort(?:ing|ed)?\b|\bbinary search\b|\brecursi|\bdynamic programming\b|\bcomplexity\b|"
     r"\bfibonacci\b|\bfactorial\b|\bprime numbers?\b|\bpalindrome\b|\bgcd\b|\bbig o\b",
     "Implement a sorting algorithm | Recursive function for Fibonacci numbers | Time complexity of binary search"),
    ("data structures",
     "",
     r"\barrays?\b|\blinked lists?\b|\bstacks?\b|\bqueues?\b|\bbinary (?:search )?trees?\b|\bhash ?(?:maps?|"
     r"tables?)\b|\bdictionar(?:y|ies)\b|\bgraphs?\b|\bheaps?\b",
     "Reverse a linked list | Use a hash map to count items in an array"),
    ("string manipulation",
     "",
     r"\bstrings?\b|\bsubstrings?\b|\bvowels?\b|\bcharacters? in\b|\breverses? (?:a|the) (?:string|word|"
     r"sentence)\b",
     "Reverse a string | Count the vowels in a string"),
    ("regular expressions",
     r"\bregex\b|\bregular expressions?\b",
     "",
     "Write a regular expression that matches email addresses"),
    ("unit testing",
     r"\bunit tests?\b|\bpytest\b|\bjunit\b|\btest cases?\b",
     "",
     "Write unit tests for this function"),
    ("code conversion",
     r"\b(?:convert|translate|rewrite|port)\b[^.?!]{0,40}\b(?:code|function|program|script)\b[^.?!]{0,40}\b(?:to|"
     r"into|in)\b",
     "",
     "Convert this Python code to JavaScript | Rewrite the function in Java"),
    ("data analysis",
     "",
     r"\bdataframes?\b|\bcsv\b|\bexcel\b|\bspreadsheets?\b|\bdatasets?\b|\bdata analysis\b|\bcharts?\b|\bplot\b|"
     r"\bvisuali[sz]",
     "Analyse the data in this spreadsheet | Plot a chart from a CSV dataset"),
    ("api usage",
     "",
     r"\bapi\b|\brest\b|\bjson\b|\bhttp requests?\b|\bendpoint",
     "Call a REST API and parse the JSON response"),
    # --- maths
    ("math word problem",
     "",
     r"\bhow (?:many|much|long|far|old)\b|\bin total\b|\baltogether\b|\beach\b[^.?!]{0,60}\$|\bper (?:hour|day|"
     r"week|month|year)\b|\bwhat (?:is|was) the (?:total|price|cost|number|sum|difference|average)\b",
     "A word problem: Tom has 5 apples and buys 3 more bags of 4, how many apples does he have? |"
     " She earns $12 per hour and works 20 hours a week; how much does she earn in a month?"),
    ("arithmetic",
     "",
     r"\d+(?:\.\d+)?\s*[-+*/x×÷]\s*\d|\bpercent|\d%|\bhalf\b|\btwice\b|\btimes as\b|\bsum of\b|\bproduct of\b|"
     r"\bdivided\b|\bmultipl|\bfractions?\b",
     "Compute 25% of 80 | Add, subtract, multiply and divide numbers"),
    ("algebra",
     "",
     r"\bequations?\b|\bsolve for\b|\bvariables?\b|\bpolynomials?\b|\bquadratic\b|\b[xyz]\s*[=+\-^²]|\b\d[xyz]\b|"
     r"\bfactori[sz]e\b|\binequalit",
     "Solve the equation 3x + 7 = 22 for x | Factor the quadratic polynomial"),
    ("geometry",
     "",
     r"\bareas? of\b|\bperimeter\b|\btriangles?\b|\bcircles?\b|\bradius\b|\bangles?\b|\bvolume of\b|\brectangle|"
     r"\bsquare (?:feet|meters|inches|units|yards)\b|\bdiameter\b|\bpolygon",
     "Find the area of a triangle | Volume of a cylinder with radius 3"),
    ("probability",
     "",
     r"\bprobabilit|\bdice\b|\bcoins?\b|\bodds\b|\bchances?\b|\brandomly\b",
     "What is the probability of rolling a 7 with two dice"),
    ("statistics",
     "",
     r"\bmean\b|\bmedian\b|\bvariance\b|\bstandard deviation\b|\bstatistic|\bcorrelation\b|\bregression\b",
     "Compute the mean, median and standard deviation | Explain variance in statistics"),
    ("calculus",
     r"\bderivatives?\b|\bintegrals?\b|\bdifferentiat|\bintegrat(?:e|ion)\b|\blimit of\b|\bcalculus\b",
     "",
     "Find the derivative of x squared | Evaluate the integral"),
    ("unit conversion",
     r"\bconvert\b[^.?!]{0,40}\b(?:to|into)\b[^.?!]{0,20}\b(?:miles|km|kilometers|meters|feet|inches|celsius|"
     r"fahrenheit|pounds|kg|kilograms|liters|gallons|ounces|grams|hours|minutes|seconds)\b",
     "",
     "Convert 10 miles to kilometers | Convert Fahrenheit to Celsius"),
    ("financial calculation",
     "",
     r"\binterest\b|\bprofit\b|\bdiscount\b|\bsalary\b|\bsavings?\b|\bbudget\b|\bprices?\b|\bcosts?\b|\$\d",
     "Calculate the total price after a discount | Compound interest on savings"),
    ("time calculation",
     "",
     r"\bhow (?:long|many (?:hours|minutes|days|weeks|years|seconds))\b|\bwhat time\b",
     "How many hours and minutes does the trip take"),
    # --- NLP tasks
    ("sentiment analysis",
     r"\bon a scale of\b|\brating\b|\bwould (?:the user|you|he|she|they) recommend this\b|\bgive this (?:product|"
     r"app|place|movie|film|restaurant|book)\b|\bgiven this review\b|^\W*review(?: text)?:|"
     r"\bnot at all, no, maybe, yes, or definitely\b|\bsentiment\b|\bpositive or negative\b|"
     r"\bnegative or positive\b|\bsatisfied or dissatisfied\b|\bflattering or unflattering\b|\b(?:review|tone|"
     r"tweet)\b[^.?!]{0,40}\b(?:positive|negative)\b|\b(?:reviewer|customer|user)\b[^.?!]{0,30}\b(?:feel|"
     r"satisfied|like|enjoy)|\bhow many stars\b|\bstar rating\b|\bemotions? (?:does|is|of)\b",
     "",
     "Is the sentiment of this review positive or negative? | What emotion does this text express"),
    ("text classification",
     r"\bclassify\b|\bclassification\b|\bcategori[sz]e\b|\bwhich category\b|\blabel (?:each|the|these|this)\b|"
     r"\bis (?:this|it|the following) (?:a|an)\b[^.?!]{0,30}\bor\b|\bdetect (?:if|whether)\b|\bspam\b|\btoxic\b|"
     r"\bfact or (?:an )?opinion\b|\bwhich language\b|\bdecide (?:if|whether)\b|\bsort (?:these|the following|"
     r"each)\b[^.?!]{0,30}\binto\b|\bidentify the (?:type|genre|category|kind)\b",
     "",
     "Classify the text into one of the categories | Label each sentence as fact or opinion"),
    ("topic classification",
     r"\btopic\b|\bwhat is this (?:text|article) about\b|\bworld news\b|\bsection of (?:a|the) newspaper\b|"
     r"\bwhich (?:newspaper )?section\b|\bpick (?:one )?category\b|\bcategory for the following\b|"
     r"\brecommend the following article to\b",
     "",
     "Which topic is this news article about: world, sports, business or science? |"
     " Pick the category for the following text: company, artist, athlete, building"),
    ("summarization",
     r"\bsumm?ar(?:y|ies|i[sz]e|i[sz]ing)\b|\bsum (?:it|the following|this|up)\b|\btl;?dr\b|\bkey points\b|"
     r"\bin (?:a few|one|two|three) (?:sentences|bullet points)\b|\bcondense\b|\bhighlights\b|\bin a nutshell\b|"
     r"\bboils down to\b|\bmain points\b|\bsynthesi[sz]e\b|\bgist\b",
     "",
     "Summarize this article in a few sentences | Write a short summary of the document"),
    ("title generation",
     r"\b(?:write|generate|suggest|create|make|come up with|give|propose|think of|good|choose|"
     r"best)\b[^.?!]{0,30}\b(?:titles?|headlines?)\b|^\W*title:|\bheadline\b",
     "",
     "Write a title for this article | Suggest a headline"),
    ("question answering",
     r"^\W*(?:question|q)\s*:|\b(?:answer|a)\s*:\s*$|\banswer (?:the|this|my) (?:following )?question\b|"
     r"\bcan you (?:tell me|answer)\b",
     r"\bquestions?\b|\banswer\b",
     "Answer the following question | Question: ... Answer:"),
    ("reading comprehension",
     r"\b(?:passage|article|paragraph|context|document|story|text|plot|background)\b[^.?!]{0,60}\b(?:question|"
     r"answer)s?\b|\b(?:question|answer)s?\b[^.?!]{0,60}\b(?:passage|article|paragraph|context|plot|background)\b|"
     r"\bread the\b|\bextract the answer\b|\bgiven the (?:passage|context|paragraph|text)\b",
     "",
     "Read the passage and answer the question | Given the context paragraph, answer the question |"
     " Movie plot question"),
    ("multiple choice question",
     r"\boptions?:|\bchoices?:|\bchoose (?:the|one|from|between)\b|\bpick (?:the|one)\b|\bselect (?:the|one)\b|"
     r"\(a\)|^a\)|\bwhich of the following\b|\bvalid answer\b|\bcorrect answer\b|\bmultiple choice\b",
     r"(?:^|\n)\W*- |\bpossible answers\b|\boptions\b|\bchoices\b",
     "Choose the correct answer from the options: (A) ... (B) ... | Which of the following choices is correct"),
    ("factual question",
     "",
     r"^\W*(?:what|who|when|where|which|how many|how old|in what year|what year)\b",
     "Who was the first president of the United States? | When was the Eiffel Tower built? |"
     " What is the capital of France?"),
    ("paraphrase identification",
     r"\bsame (?:thing|meaning)\b|\bparaphrases? (?:of )?each other\b|\bmean the same\b|\bequivalent\b|"
     r"\bduplicates?\b|\bsimilar (?:meaning|questions)\b|\bmerge (?:these|the) (?:two )?questions\b|\bis (?:this|"
     r"that|it) a paraphrase\b|\bparaphrases?\b[^.?!]{0,20}\bsentence\b|\bsentence 1\b|\balso be used to answer\b|"
     r"\bsame question\b",
     "",
     "Do these two sentences mean the same thing? | Are the two questions asking the same thing"),
    ("paraphrasing",
     r"\bparaphrase\b|\brephrase\b|\brewrite\b|\breword\b|\bin other words\b|\bsimplify\b|\bin your own words\b",
     "",
     "Rewrite the sentence in other words | Paraphrase this paragraph"),
    ("information extraction",
     r"\bextract\b|\bpull (?:out )?(?:the|all)\b|\bidentify (?:all|the|every)\b[^.?!]{0,30}\b(?:names?|people|"
     r"dates?|entities|numbers?|places?|locations?)\b|\bfind all\b|\bmentioned\b|\bnamed entit|\breturn (?:json|"
     r"a json)\b",
     "",
     "Extract all names and dates from the text | Identify the people mentioned in the article"),
    ("grammar correction",
     r"\bgrammar\b|\bgrammatical|\bspelling\b|\bproofread\b|\bcorrect (?:the|this|these|any|"
     r"my)\b[^.?!]{0,20}\b(?:sentence|text|mistakes?|errors?|grammar|spelling)\b|\btypos?\b|\bpunctuation\b",
     "",
     "Correct the grammar mistakes in this sentence | Proofread the text"),
    ("translation",
     r"\btranslat|\b(?:in|into|to) (?:english|french|spanish|german|italian|portuguese|chinese|mandarin|japanese|"
     r"korean|russian|arabic|hindi|dutch|swedish|polish|turkish|greek|latin|hebrew|vietnamese|thai|indonesian)\b",
     "",
     "Translate this sentence into French | What is this phrase in Spanish"),
    ("sentence generation",
     r"\bconcepts?\b|\bkeywords?\b[^.?!]{0,30}\bsentence\b|\bgenerate a sentence\b|\bform a sentence\b|"
     r"\bwrite a sentence\b|\bmake a sentence\b|\bsentence (?:that|which) (?:uses|includes|contains)\b",
     "",
     "Generate a sentence using all the concepts: dog, park, ball | Put the words together to form a sentence"),
    ("data to text",
     r"\bdata\b[^.?!]{0,30}\bsentence\b|\btable\b[^.?!]{0,40}\b(?:describe|sentence|text)\b|"
     r"\bfacts\b[^.?!]{0,40}\b(?:bio|biography|write)\b|\bbio\b|\bbiography\b|\binfobox\b|\bdetails about\b",
     "",
     "Write a sentence that describes this data | Read the facts and write a short biography"),
    ("natural language inference",
     r"\bentail|\bpremise\b|\bhypothesis\b|\bdoes (?:it|this) follow\b|\bcan we conclude\b|\bimpl(?:y|ies)\b|"
     r"\bcontradict|\bis it true that\b",
     "",
     "Does the premise entail the hypothesis? | Can we conclude that the statement is true"),
    ("word meaning",
     r"\bdefin(?:e|ition)\b|\bmeaning of (?:the )?(?:word|term|phrase|idiom|expression)\b|\bsynonyms?\b|"
     r"\bantonyms?\b|\bwhat does the (?:word|term|phrase)\b|\betymology\b|\bvocabulary\b|\bpronounc|\bidioms?\b",
     "",
     "What is the meaning of the word | Give synonyms for happy"),
    ("text completion",
     "",
     r"\bcomplete (?:the|this|it)\b|\bcontinue\b|\bfinish (?:the|this)\b|\bfill in\b|\bnext (?:sentence|line|"
     r"word)\b|\bwhat happens next\b|\bmost logical completion\b",
     "Continue the story | Complete the sentence | What happens next"),
    ("keyword extraction",
     r"\bkeywords?\b|\bkey ?phrases?\b|\bhashtags?\b",
     "",
     "List the keywords of this text | Suggest hashtags"),
    ("question generation",
     r"\b(?:write|generate|create|ask|come up with|make|produce)\b[^.?!]{0,30}\bquestions?\b|\bquiz\b|"
     r"\binterview questions\b|\bquestionnaire\b",
     "",
     "Generate a question about this passage | Write quiz questions for students"),
    # --- writing
    ("creative writing",
     _ask(r"creative|fiction|fictional|imaginative|short stor(?:y|ies)|piece of (?:fiction|writing)") +
     r"|\bcreative writing\b",
     "",
     "Write a creative short story | Imaginative piece of fiction"),
    ("poetry",
     _ask(r"poems?|poetry|haikus?|limericks?|sonnets?|verses?|rhym\w*|odes?|acrostic") +
     r"|\bhaikus?\b|\blimericks?\b|\bsonnets?\b|\bin verse\b|\bthat rhymes?\b",
     "",
     "Write a poem about the sea | Compose a haiku"),
    ("story writing",
     _ask(r"stor(?:y|ies)|tales?|fables?|narratives?") +
     r"|(?:^|\n|[.?!:]\s+)\W*(?:continue|finish) (?:the|this) (?:story|tale)\b|\bonce upon a time\b",
     "",
     "Write a short story about a dragon | Tell a bedtime story"),
    ("email writing",
     r"\b(?:write|draft|compose|reply|respond|send|prepare)\b[^.?!]{0,40}\be-?mails?\b|\be-?mail (?:to|reply|"
     r"response)\b|\bsubject line\b",
     "",
     "Write an email to my manager | Draft a polite email reply"),
    ("letter writing",
     r"\b(?:write|draft|compose)\b[^.?!]{0,30}\bletter\b|\bcover letter\b|^\W*dear\b",
     "",
     "Write a cover letter | Write a letter to a friend"),
    ("essay writing",
     r"\bessays?\b|\bthesis statement\b|\bargumentative\b",
     "",
     "Write an essay about climate change"),
    ("article writing",
     r"\b(?:write|draft|compose|create)\b[^.?!]{0,30}\b(?:blog|article|post|newsletter|press release|column)\b",
     "",
     "Write a blog post | Write an article for a magazine"),
    ("marketing copy",
     r"\bslogans?\b|\btaglines?\b|\bads?\b|\badvertis|\bmarketing\b|\bproduct descriptions?\b|\bpromot|"
     r"\bbrand(?:ing)?\b|\bcampaign\b|\bsales pitch\b|\bpitch\b",
     "",
     "Write a slogan for a product | Marketing copy for an advertisement"),
    ("social media post",
     r"\btweets?\b|\btwitter\b|\binstagram\b|\bfacebook\b|\blinkedin\b|\bsocial media\b|\bcaptions?\b|\btiktok\b",
     "",
     "Write a tweet | Instagram caption for a photo"),
    ("speech writing",
     _ask(r"(?:\w+ )?speech|toast|monologue|soliloquy|pep talk|eulogy|keynote") +
     r"|\baddress the (?:crowd|audience|nation)\b",
     "",
     "Write a wedding toast | Speech for a graduation ceremony"),
    ("song lyrics",
     _ask(r"songs?|lyrics|raps?|chorus|jingles?|ballads?|anthem") + r"|\bsong lyrics\b",
     "",
     "Write song lyrics | Write a rap verse"),
    ("humor",
     _ask(r"jokes?|puns?|funny|humou?r\w*|comedy|comedic|hilarious|one-liners?|sarcastic") +
     r"|\bjoke about\b|\bmake me laugh\b",
     "",
     "Tell me a joke | Write something funny"),
    ("dialogue writing",
     r"\b(?:write|create|generate|compose)\b[^.?!]{0,30}\b(?:dialog(?:ue)?|conversation|script|scene)\b|"
     r"\bdialog(?:ue)? between\b|\bconversation between\b",
     "",
     "Write a dialogue between two people | Conversation between a customer and a bot"),
    ("review writing",
     r"\b(?:write|compose|draft)\b[^.?!]{0,20}\breviews?\b",
     "",
     "Write a product review | Write a restaurant review"),
    ("text style transfer",
     r"\b(?:more|less) (?:formal|informal|polite|professional|concise|friendly|casual)\b|\bin (?:a|an) (?:formal|"
     r"informal|casual|professional|friendly|polite|sarcastic)\b[^.?!]{0,10}\b(?:tone|style|way)\b|"
     r"\bin the style of\b|\bshakespearean\b|\bas (?:a )?pirate\b",
     "",
     "Rewrite this text in a formal tone | Make it sound more professional"),
    ("outline generation",
     r"\boutlines?\b|\btable of contents\b|\bagenda\b|\bsyllabus\b|\blesson plan\b",
     "",
     "Create an outline for a presentation"),
    ("description writing",
     "",
     r"\bdescribe\b|\bdescription of\b|\bportray\b|\bvivid\b",
     "Describe the scene in vivid detail | Write a description of a place"),
    # --- role play
    ("role play",
     _ROLE + r"|\bin character\b|\bpersona\b|\brole-?play",
     "",
     "You are a medieval knight; respond in character | Imagine you are a famous scientist talking to students |"
     " Act as a travel guide"),
    ("historical role play",
     _ROLE + (r"[^.?!]{0,80}\b(?:ancient|medieval|renaissance|victorian|roman|greek|egyptian|viking|samurai|"
              r"pharaoh|emperor|king|queen|knight|historical|\d+(?:st|nd|rd|th) century|leonardo|shakespeare|"
              r"einstein|newton|darwin|napoleon|caesar|cleopatra|lincoln|galileo|mozart|tesla|curie)\b"),
     "",
     "You are Leonardo da Vinci presenting an invention | Role play as an ancient Roman senator"),
    ("fictional character",
     _ROLE + (r"[^.?!]{0,80}\b(?:wizard|dragon|alien|sorcerer|elf|dwarf|vampire|detective|pirate|superhero|"
              r"time traveler|robot|sherlock|harry potter|jedi|starship|spaceship|mage|witch|fairy|ghost|zombie|"
              r"captain|knight|fantasy|fictional)\b"),
     "",
     "You are a wizard casting a spell | Role play as a detective solving a mystery |"
     " You are an alien visiting Earth"),
    ("expert persona",
     _ROLE + (r"[^.?!]{0,60}\b(?:expert|doctor|nutritionist|therapist|lawyer|scientist|professor|teacher|engineer|"
              r"consultant|coach|historian|chef|advisor|adviser|psychologist|astronomer|architect|economist|"
              r"physician|trainer|analyst|specialist|researcher|biologist|physicist|chemist|counselor)\b"),
     "",
     "You are a nutritionist giving diet advice | As an expert lawyer, explain | Act as a career coach"),
    ("simulation",
     r"\bact as (?:a|an) (?:linux )?(?:terminal|interpreter|console|text adventure|game|calculator|sql|excel|"
     r"javascript console)\b|\bsimulat",
     "",
     "Act as a Linux terminal and reply with the output | Simulate a text adventure game"),
    # --- tool use
    ("tool use",
     r"\btoolformer\b|\btools?:|\bfunction call|\bplugins?\b|\buse the (?:tool|api)\b|\btool use\b",
     "",
     "Use the available tool to answer | Call the API with a query | toolformer: enabled"),
    ("web search",
     r"\bsearch engine\b|\bsearch\(|\bgoogle\b|\bsearch (?:for|the web|online)\b|\bweb search\b|\blook up\b|"
     r"\bsearch results\b",
     "",
     "Search the web for the latest information | Use a search engine to find"),
    ("weather query",
     r"\bweather\b|\bforecast\b|\btemperatures?\b|\bhumidity\b|\bwill it (?:rain|snow)\b",
     "",
     "What is the weather forecast in Paris | Get the temperature for next week"),
    ("knowledge lookup",
     r"\bwikipedia\b|\bencyclopedia\b",
     "",
     "Look up the topic on Wikipedia | Find encyclopedia information"),
    ("calculator use",
     r"\bwolfram\b|\b(?:use|using) (?:a|the) calculator\b|\bcalculator\(",
     "",
     "Use Wolfram Alpha to calculate | Compute with a calculator"),
    ("news lookup",
     r"\b(?:latest|current|recent|today'?s|top|breaking) (?:news|headlines)\b|\bnews (?:about|on|from)\b|\bnews\(",
     "",
     "Get the latest news headlines about technology"),
    ("web page retrieval",
     r"\burls?\b|\bhttps?://|\brequest\(|\bfetch (?:the )?(?:page|content)\b|\bscrape\b",
     "",
     "Fetch the content of a web page from a URL"),
    # --- reasoning
    ("logical reasoning",
     r"\blogic(?:al)?\b|\bdeduc|\bconclu|\bsyllogism|\bfallac(?:y|ies)\b|\bargument\b|\bpremises?\b|"
     r"\btaller than\b|\bolder than\b",
     "",
     "Is this argument logically valid? | Deductive reasoning from premises"),
    ("commonsense reasoning",
     "",
     r"\bwhy (?:would|might|did)\b|\bmost likely\b|\bwhat (?:would|will) happen\b|"
     r"\bhow would\b[^.?!]{0,30}\bfeel\b|\bwhat (?:will|would) \w+ (?:want|do|need)\b|\bbest describes?\b",
     "Why would someone do this? | What will most likely happen next in this situation"),
    ("puzzle solving",
     r"\briddles?\b|\bpuzzles?\b|\bbrain ?teasers?\b|\bsudoku\b|\bcrossword\b|\bwordle\b|\btrick question\b|"
     r"\bwhat has\b[^.?!]{0,40}\bbut\b|\bwhat am i\b|\bwhat comes next\b|\banalog(?:y|ies)\b|\bnext (?:number|"
     r"letter|term) in\b",
     "",
     "Solve this riddle | Logic puzzle about who lives in which house"),
    ("causal reasoning",
     "",
     r"\bcaus(?:e|es|ed|al)\b|\beffects? (?:of|on)\b|\bconsequences?\b|\bimpact (?:of|on)\b|\bresult in\b|"
     r"\bwhat (?:would|will) happen\b|\bif\b[^.?!]{0,60}\bwhat would\b",
     "What are the causes and effects of | How does A affect B"),
    ("ethical reasoning",
     r"\bethic|\bmoral|\bright or wrong\b|\bjustice\b",
     "",
     "Is this behavior ethical? | Discuss the moral dilemma"),
    # --- knowledge and explanation
    ("explanation",
     "",
     r"\bexplain|\bwhy (?:is|are|do|does|did|can|can't)\b|\bhow (?:does|do|did|is|are|can)\b|\bwhat causes\b|"
     r"\bwhat is the reason\b",
     "Explain how photosynthesis works | Why is the sky blue | How does a car engine work"),
    ("concept explanation",
     "",
     r"^\W*what (?:is|are) (?:a|an)\b|\bconcept\b|\bexplain the (?:concept|idea|term|difference|meaning)\b|"
     r"\bin simple terms\b|\blike i'?m (?:five|5)\b",
     "What is quantum entanglement? | Explain the concept of inflation in simple terms"),
    ("comparison",
     r"\bcompare\b|\bcomparison\b|\bdifferences? between\b|\bdiffer\b|\bvs\.?\b|\bversus\b|\bpros and cons\b|"
     r"\bwhich is better\b|\bsimilarities\b",
     "",
     "Compare cats and dogs as pets | What is the difference between a virus and bacteria"),
    ("history",
     "",
     r"\bhistor|\bwars?\b|\bempires?\b|\bcentury\b|\bancient\b|\brevolution\b|\bdynast|\bmedieval\b",
     "Questions about historical events, wars, empires and historical figures"),
    ("science",
     "",
     r"\bscien|\bphysics\b|\bchemi|\bbiolog|\bexperiment\b|\batoms?\b|\bmolecul|\bcells?\b|\benergy\b|"
     r"\bevolution\b|\bplanets?\b|\bspace\b|\bastronom|\bquantum\b|\bgravity\b",
     "Science questions about physics, chemistry and biology | How do atoms and cells work"),
    ("health and medicine",
     "",
     r"\bhealth|\bmedical\b|\bmedicine\b|\bdiseases?\b|\bsymptoms?\b|\bdoctor\b|\bdiet\b|\bexercise\b|\bsleep\b|"
     r"\bnutrition|\bmedication\b|\btherapy\b",
     "Health advice about diet, exercise and sleep | What are the symptoms of a disease"),
    ("cooking",
     "",
     r"\brecipes?\b|\bcook|\bbake|\bbaking\b|\bingredients?\b|\bdish(?:es)?\b|\bmeals?\b|\bfood\b|\bcuisine\b",
     "Give me a recipe for pancakes | How do I cook rice"),
    ("travel",
     "",
     r"\btravel|\btrip\b|\bvacation\b|\bitinerary\b|\btourist|\bhotels?\b|\bflights?\b|\bsightseeing\b",
     "Plan a trip to Japan | Travel itinerary for a week in Paris"),
    ("personal finance",
     "",
     r"\bmoney\b|\binvest|\bsavings?\b|\bbudget|\bdebt\b|\bloans?\b|\bmortgage\b|\bretirement\b|\bstocks?\b|"
     r"\btax(?:es)?\b|\bcredit card\b",
     "How should I invest my savings | Make a monthly budget"),
    ("career advice",
     "",
     r"\bcareer\b|\bjob\b|\bjob interview\b|\bresume\b|\bcv\b|\bpromotion\b|\bboss\b|\bcoworkers?\b|\bworkplace\b|"
     r"\bcolleagues?\b",
     "How do I prepare for a job interview | Career advice for changing jobs"),
    ("education",
     "",
     r"\bstudents?\b|\bteach|\blearn(?:ing)?\b|\bschool\b|\bcourses?\b|\bstudy(?:ing)?\b|\bclassroom\b|\bexams?\b|"
     r"\bhomework\b|\buniversity\b",
     "How can I study more effectively | Lesson plan for students"),
    ("business",
     "",
     r"\bbusiness\b|\bcompany\b|\bstartup\b|\bcustomers?\b|\bsales\b|\bmarket\b|\bstrategy\b|\bmanagement\b|"
     r"\bentrepreneur",
     "Business strategy for a startup | How to attract more customers"),
    ("technology",
     "",
     r"\btechnolog|\bcomputers?\b|\bsoftware\b|\binternet\b|\bsmartphones?\b|\bdevices?\b|\bgadgets?\b",
     "How does the internet work | Technology trends in smartphones and software"),
    ("entertainment",
     "",
     r"\bmovies?\b|\bfilms?\b|\btv\b|\bshows?\b|\bseries\b|\bbooks?\b|\bnovels?\b|\bvideo games?\b|\bactors?\b|"
     r"\bnetflix\b|\bcelebrit",
     "Recommend a movie to watch | Questions about books, films and TV shows"),
    ("sports",
     "",
     r"\bsports?\b|\bfootball\b|\bsoccer\b|\bbasketball\b|\btennis\b|\bgolf\b|\bbaseball\b|\bcricket\b|\bathlet|"
     r"\bolympic|\bmarathon\b",
     "Sports rules and teams | Who won the football match"),
    ("relationships",
     "",
     r"\brelationships?\b|\bfriends?\b|\bfriendship\b|\bpartner\b|\bboyfriend\b|\bgirlfriend\b|\bdating\b|"
     r"\bmarriage\b|\bwedding\b|\bparents?\b|\bparenting\b",
     "Relationship advice about friends and family | How to deal with a difficult partner"),
    ("psychology",
     "",
     r"\bpsycholog|\bemotions?\b|\banxiety\b|\bstress\b|\bmotivat|\bhabits?\b|\bmental\b|\bself-esteem\b|"
     r"\bprocrastinat",
     "How do I deal with stress and anxiety | Stay motivated and build good habits"),
    ("environment",
     "",
     r"\benvironment|\bclimate\b|\bpollution\b|\brecycl|\bsustainab|\bglobal warming\b|\bcarbon\b|\brenewable\b",
     "How can we reduce pollution | Effects of climate change on the environment"),
    ("politics and law",
     "",
     r"\bpolitic|\bgovernment\b|\belections?\b|\blaws?\b|\blegal\b|\bcourts?\b|\bpolicy\b|\bsenate\b|\bcongress\b|"
     r"\bparliament\b",
     "Explain how elections work | Legal question about a contract"),
    ("geography",
     "",
     r"\bcountr(?:y|ies)\b|\bcapital (?:city|of)\b|\bcontinents?\b|\brivers?\b|\bmountains?\b|\bpopulation\b|"
     r"\bgeograph",
     "What is the capital of a country | Largest rivers and mountains of a continent"),
    ("machine learning",
     "",
     r"\bmachine learning\b|\bneural networks?\b|\bdeep learning\b|\btraining data\b|\bclassifier\b|\bai\b|"
     r"\bartificial intelligence\b|\blanguage models?\b",
     "Train a machine learning model | Explain how neural networks learn"),
    # --- advice, brainstorming, planning
    ("advice",
     r"\badvice\b|\badvise\b|\bshould i\b|\btips\b|\bwhat should\b|\bany suggestions\b",
     r"\bhow (?:can|do|should) i\b|\bhelp me\b",
     "Give me advice on how to handle this situation | What should I do | Tips for better sleep"),
    ("recommendation",
     r"\brecommend|\bsuggest (?:a|an|some)\b[^.?!]{0,30}\b(?:books?|movies?|films?|places?|restaurants?|songs?|"
     r"games?|gifts?|products?)\b|\bwhat are (?:some )?good\b",
     "",
     "Recommend some good books | Suggest a restaurant"),
    ("brainstorming",
     r"\bideas?\b|\bbrainstorm|\bcome up with\b|\bnames? for\b|\bcreative ways?\b|\bsuggest (?:some|a few|several|"
     r"\d+|three|five|ten)\b",
     "",
     "Brainstorm ideas for a birthday party | Come up with names for a coffee shop"),
    ("planning",
     r"\b(?:plan|schedule|itinerary|agenda|routine|timeline)\b[^.?!]{0,20}\b(?:for|to|of)\b|\bto-?do list\b|"
     r"\bplan (?:a|an|my|the)\b",
     "",
     "Make a weekly plan | Create a daily schedule and routine"),
    ("how-to guide",
     "",
     r"\bhow (?:to|do i|can i)\b|\bstep[- ]by[- ]step\b|\bguide\b|\binstructions\b|\btutorial\b",
     "How to change a tire step by step | Write a guide for beginners"),
    ("list generation",
     "",
     r"^\W*list\b|\bmake a list\b|\bname (?:a few|some|three|five|ten|\d+)\b|\bgive (?:me )?(?:a few|some|three|"
     r"five|ten|\d+) (?:examples|reasons|ways|things|tips)\b|\benumerate\b|\btop \d+\b|\bbullet points\b",
     "List five fruits | Name three famous painters | Give me ten examples"),
    ("opinion",
     r"\bwhat do you think\b|\byour (?:opinion|thoughts|view)\b|\bdo you (?:think|believe|like|agree)\b|"
     r"\bwould you rather\b",
     "",
     "What do you think about this? | Share your opinion"),
    ("chitchat",
     r"^\W*(?:hi|hello|hey|how are you|good morning|good evening)\b",
     "",
     "Hi, how are you? | Let's chat about your day"),
)
#: Creative and persona intents: a record gets one only when its strong cue matches (a request to write one, a
#: "you are a ..." opening), never from the embedding alone, so factual QA, maths and code never get them.
NEEDS_CUE = frozenset({"creative writing", "poetry", "story writing", "song lyrics", "humor", "speech writing",
                       "dialogue writing", "role play", "historical role play", "fictional character",
                       "expert persona", "simulation"})
#: Intents that name a subject area rather than a task; a record gets at most one, and only when it is clear.
_DOMAINS = frozenset({
    "history", "science", "health and medicine", "cooking", "travel", "personal finance", "career advice",
    "education", "business", "technology", "entertainment", "sports", "relationships", "psychology",
    "environment", "politics and law", "geography", "machine learning"})
#: The built-in InsTag-like intent vocabulary (written for sift; the label names follow InsTag's style).
INTENTS: tuple[Intent, ...] = tuple(
    Intent(label, "domain" if label in _DOMAINS else "task", strong, soft,
           tuple(s.strip() for s in examples.split("|")), label in NEEDS_CUE)
    for label, strong, soft, examples in _INTENT_TABLE)


def intent_cues(zones: Sequence[str], intents: Sequence[Intent] = INTENTS) -> np.ndarray:
    """``(n, len(intents))`` float32 cue weights: 2 where an intent's strong cue matches a directive zone, else 1
    where its soft cue matches, else 0."""
    index: dict[str, int] = {}
    first = [index.setdefault(zone, len(index)) for zone in zones]  # repeated zones (templates) are read once
    unique = list(index)
    out = np.zeros((len(unique), len(intents)), dtype=np.float32)
    for k, intent in enumerate(intents):
        strong = re.compile(intent.strong).search if intent.strong else None
        soft = re.compile(intent.soft).search if intent.soft else None
        for i, zone in enumerate(unique):
            if strong is not None and strong(zone):
                out[i, k] = 2.0
            elif soft is not None and soft(zone):
                out[i, k] = 1.0
    return out[np.asarray(first, dtype=np.int64)] if zones else out


def intent_vectors(intents: Sequence[Intent], model: str, cache_dir=None) -> tuple[np.ndarray, np.ndarray]:
    """``(prototypes, label vectors)``: unit mean of each intent's label + example embeddings, and of its label."""
    from core.embed import embed_texts

    texts, owner = [], []
    for k, intent in enumerate(intents):
        for t in (intent.label,) + tuple(intent.examples):
            texts.append(t)
            owner.append(k)
    emb = embed_texts(texts, model=model, batch_size=256, cache_dir=cache_dir)
    owner_arr = np.asarray(owner)
    proto = np.zeros((len(intents), emb.shape[1]), dtype=np.float32)
    np.add.at(proto, owner_arr, emb)
    proto /= np.maximum(np.linalg.norm(proto, axis=1, keepdims=True), 1e-12)
    first = np.searchsorted(owner_arr, np.arange(len(intents)))
    return proto, emb[first]


def choose_intents(scores: np.ndarray, kinds: Sequence[str], label_embeddings: np.ndarray, *, max_tasks: int = 2,
                   task_margin: float = 0.08, task_floor: float = 0.3, domain_floor: float = 0.45,
                   distinct_max: float = 0.8, strong=None) -> np.ndarray:
    """Intent indices per record (rows of an int array, -1 = none; at most ``max_tasks`` + 1 columns).

    The best task intent is always taken; a further one (best first) when its score is at least ``task_floor`` and
    either within ``task_margin`` of the best or backed by a strong cue (``strong``: records x intents, true where
    an intent's strong cue matched), and it is not a near-synonym (cos >= ``distinct_max``) of one taken; the best
    domain intent when its score is at least ``domain_floor``. ``scores`` is (records x intents), cue bonus
    included.
    """
    kinds_arr = np.asarray(kinds)
    task = np.flatnonzero(kinds_arr == "task")
    domain = np.flatnonzero(kinds_arr == "domain")
    n = scores.shape[0]
    out = np.full((n, max_tasks + 1), -1, dtype=np.int64)
    if task.size:
        ts = scores[:, task]
        order = np.argsort(-ts, axis=1, kind="stable")[:, :max(1, max_tasks * 6)]
        sim = label_embeddings[task] @ label_embeddings[task].T
        backed = np.zeros_like(ts, dtype=bool) if strong is None else np.asarray(strong, dtype=bool)[:, task]
        for i in range(n):
            row = order[i]
            best = ts[i, row[0]]
            taken = [row[0]]
            for j in row[1:]:
                if len(taken) >= max_tasks or ts[i, j] < task_floor:
                    break
                if ts[i, j] < best - task_margin and not backed[i, j]:
                    continue
                if max(sim[j, t] for t in taken) < distinct_max:
                    taken.append(j)
            out[i, :len(taken)] = task[taken]
    if domain.size:
        ds = scores[:, domain]
        j = np.argmax(ds, axis=1)
        ok = ds[np.arange(n), j] >= domain_floor
        col = (out >= 0).sum(axis=1)
        out[np.flatnonzero(ok), col[ok]] = domain[j[ok]]
    return out
