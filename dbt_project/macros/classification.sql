{#- What a post says, by rules a reader can check: the customer post's category and whether it
    needs a reply; whether the brand's reply moves the conversation to a private channel,
    promises to pass the feedback on, and which agent signed it. Each rule is a list of regular
    expressions per language (case-insensitive, RE2 syntax as DuckDB reads it; `\b` is a word
    boundary); a post matches a rule when it matches one pattern of any language, so a language
    is added by adding its patterns. Each macro is described in _macros.yml. -#}

{% macro classification_patterns() -%}
    {{ return({
        'question_opening': {
            'en': ["^\\W*(hi|hey|hello|dear)?\\W*(how|what|why|when|where|who|which|whats|is there|are there|are you|is it|is this|do you|does|did you|can (i|you|we|someone)|could (i|you)|will (i|you|it|my)|would|should|any (idea|update|news|way|reason|chance))\\b",
                   "\\b(any (idea|update|news)|anyone know|wondering (if|why|whether|how)|let me know (if|when|how|why|what))\\b"],
            'de': ["^\\W*(hallo|hi|hey)?\\W*(wie|was|warum|wieso|weshalb|wann|wo|wohin|woher|wer|welche[rsmn]?|gibt es|habt ihr|haben sie|könnt ihr|können sie|kann (ich|man)|ist (das|es|der|die)|sind|wird|werden)\\b",
                   "\\b(weiß jemand|wüsste gern|würde gerne wissen|frage mich)\\b"],
        },
        'complaint': {
            'en': ["\\b(not|never|no longer|isn.?t|aren.?t|wasn.?t|doesn.?t|don.?t|didn.?t|won.?t|can.?t|cannot|couldn.?t) (work|working|load|loading|connect|arrive|arrived|received?|get|got|open|respond|responding|answer|sync|charge|play|update)",
                   "\\b(broken|worst|terrible|horrible|awful|ridiculous|unacceptable|disappointed|disappointing|frustrat\\w*|annoy\\w*|angry|furious|useless|pathetic|disgusted|shame on|rip ?off|scam)\\b",
                   "\\b(still (waiting|no|not|down|broken|haven.?t|nothing)|again\\W*$|been waiting|waited|hours? on hold|on hold for|delay(ed|s)?|cancel+ed|overcharged|double charged|charged twice|lost my|missing|outage|down again|keeps? (crashing|freezing|dropping|failing)|crash(es|ed|ing)|froze|freez(es|ing)|error|glitch|bug)\\b"],
            'de': ["(funktioniert|klappt|geht|lädt|läuft) (immer noch |schon wieder |seit \\w+ )?(nicht|nix)",
                   "\\b(kaputt|störung|ausgefallen|ausfall|verspätet|verspätung|zu spät|gestrichen|storniert|frechheit|unverschämt|ärgerlich|enttäuscht|katastrophe|unmöglich|schlecht|mies|nervt|seit (tagen|wochen|stunden)|immer noch|schon wieder|kein (netz|empfang|internet|signal)|keine antwort|warte (seit|immer))\\b"],
        },
        'request': {
            'en': ["\\b(please|pls|plz|kindly)\\b",
                   "\\b(can|could|would|will) (you|u|someone|somebody) (please )?(help|fix|check|look|send|refund|call|reply|respond|sort|tell|explain|confirm|reset|cancel|change|update|assist|dm|email)\\b",
                   "\\b(i need|i want|i.?d like|need (help|assistance|a refund|someone)|help me|help!|fix (this|it|my)|sort (this|it) out|get back to me|refund me|call me|dm me)\\b"],
            'de': ["\\b(bitte|bitteschön)\\b",
                   "\\b(könnt ihr|können sie|könntet ihr|könnten sie|würdet ihr|würden sie) (mir |uns |das |es )?(bitte )?(helfen|prüfen|schauen|nachsehen|zurückrufen|erstatten|ändern|beheben|melden|schicken|sagen|erklären)",
                   "\\b(ich (brauche|benötige|möchte|will|hätte gern)|helft mir|meldet euch|ruft mich an|erstattet)\\b"],
        },
        'praise': {
            'en': ["\\b(thanks?|thank you|thankyou|thx|tysm|ty|cheers|much appreciated|appreciate (it|you|that|the)|kudos|shout ?out)\\b",
                   "\\b(love (it|you|this|the|my)|great (job|service|work|help)|awesome|amazing|excellent|fantastic|brilliant|wonderful|best (customer|service|support)|well done|you rock|so helpful|very helpful|impressed)\\b"],
            'de': ["\\b(danke|dankeschön|vielen dank|besten dank|merci|herzlichen dank)\\b",
                   "\\b(super|toll|klasse|spitze|genial|großartig|hervorragend|top service|lob|weiter so|sehr hilfreich|sehr nett)\\b"],
        },
        'closing': {
            'en': ["^\\W*(ok(ay)?|k|kk|sure|will do|got it|great|perfect|sounds good|done|no worries|all good|sorted|cool|understood|noted|alright|fine|yes|yep|yeah|no|nope|ah|oh)\\W*(,|!|\\.|thanks?|thank you|thx|cheers|will do|i will|i.?ll (do that|try|check)|\\s)*$",
                   "\\b(that (worked|fixed it|did it|helped)|it.?s (working|fixed|sorted) now|(problem|issue|all) (solved|resolved|sorted)|works (now|again)|working (now|again)|all set|never ?mind|nvm|figured it out|sorted it)\\b"],
            'de': ["^\\W*(ok(ay)?|alles klar|passt|gut|super|perfekt|verstanden|mach ich|machen wir|jawohl|ja|nein|erledigt)\\W*(,|!|\\.|danke|dankeschön|mach ich|\\s)*$",
                   "\\b(hat (geklappt|funktioniert)|funktioniert (wieder|jetzt)|geht wieder|läuft wieder|problem (gelöst|behoben)|hat sich erledigt|alles wieder gut)\\b"],
        },
        'moved_to_private': {
            'en': ["\\b(dm|dms|d\\.m\\.|direct message|direct messages|private message|pm|inbox|send us a (note|message)|message us|drop us a (line|message|note)|reach (out to )?us (via|by|through|in|at)|follow (us|and dm)|follow/dm|follow \\+ dm)\\b",
                   "\\b(e-?mail (us|me)?|email address|at [\\w.+-]+@[\\w-]+\\.\\w+|[\\w.+-]+@[\\w-]+\\.[a-z]{2,})\\b",
                   "\\b(call us|give us a (call|ring)|phone us|ring us|contact us (at|on|via|by|here|through)|contact (form|our team)|chat with us|live chat|chat (here|link|at|via)|via chat|start a chat|online form|fill out (the|this|our) form|submit (a|the) (form|request|ticket) (here|at|via))\\b",
                   "\\b(1-?8\\d\\d|0800)[\\s-]?\\d{3}[\\s-]?\\d{3,4}\\b"],
            'de': ["\\b(dm|pn|direktnachricht|privatnachricht|private nachricht|persönliche nachricht|nachricht an uns|schreib (uns|mir)|schreiben sie uns|schreibt uns|melde dich|melden sie sich|meldet euch)\\b",
                   "\\b(ruf (uns )?an|rufen sie (uns )?an|anrufen|telefonisch|hotline|per (e-?mail|mail|telefon|chat)|kontaktformular|im chat|unser chat)\\b"],
        },
        'moved_to_private_negated': {
            'en': ["\\b(no need to (dm|email|call|message)|(don.?t|do not) (need to )?(dm|email|call|message) us)\\b"],
            'de': ["\\b(keine (dm|pn|nachricht|mail) (nötig|notwendig|erforderlich)|(musst|müssen) (du |sie )?(uns )?(keine|nicht) (dm|pn|schreiben|anrufen))\\b"],
        },
        'promises_feedback': {
            'en': ["\\b(pass(ed|ing)?|share[ds]?|sharing|forward(ed|ing)?|send(ing)?|sent|relay(ed|ing)?|escalat(e|ed|ing)) (this|that|it|these|your (feedback|comments?|suggestions?|thoughts|idea|request|concerns?|kind words|praise|experience)|the (feedback|suggestion|idea)|them|along)( \\w+){0,4}? (on|along|to|with) (to |with )?(the|our|my) (\\w+ ){0,2}(team|teams|department|folks|colleagues|people|leadership|management|developers|engineers|product)",
                   "\\b(pass(ed|ing)? (it|this|that|them|your \\w+) (on|along)|(i|we).?ll (be sure to |make sure to )?pass (it|this|that|them|your \\w+) (on|along)|pass(ed)? (on|along) your (feedback|comments?|suggestions?|thoughts|kind words))\\b",
                   "\\b(let (the|our) (\\w+ ){0,2}(team|teams|department) know|(feedback|suggestion|comments?|thoughts) (has|have) been (shared|passed|forwarded|sent)|(shared|passed|forwarded) (your|the) (feedback|suggestion|comments?|thoughts)|(your|the) (feedback|suggestion|idea) (is|goes) (to|with) (the|our) \\w+ team|added (it|this|your \\w+) to our (feedback|list))\\b"],
            'de': ["\\b(gebe?|geben|gebe ich|geben wir|leite|leiten|leiten wir|reiche|reichen) (das|es|dies|deine?n? \\w+|ihre?n? \\w+|euer \\w+)( \\w+){0,4}? (an (die|unsere?n?) (\\w+ ){0,2}(kolleg\\w*|team|fachabteilung|abteilung|entwickler\\w*|produktteam))?\\s?weiter\\b",
                   "\\b(weitergeleitet|weitergegeben|weitergereicht) an (die|unsere?n?) (\\w+ ){0,2}(kolleg\\w*|team|fachabteilung|abteilung|entwickler\\w*)",
                   "\\b(an (die|unsere?n?) (\\w+ ){0,2}(kolleg\\w*|fachabteilung|abteilung|entwickler\\w*|team)) (weitergeleitet|weitergegeben|weitergereicht|übermittelt)"],
        },
        'spam': {
            'en': ["\\b(follow (me|back)|check out my|giveaway|win a|click here|free followers|promo code)\\b"],
            'de': ["\\b(gewinnspiel|folgt mir|klickt hier)\\b"],
        },
        'german': {
            'de': ["\\b(ich|nicht|und|der|die|das|ist|bitte|danke|uns|wir|euch|ihr|sie|mein|meine|schon|noch|seit|bei|auf|für|mit|habe|hab|kein|keine|wieder|heute|immer)\\b"],
        },
    }) }}
{%- endmacro %}

{% macro matches_rule(text, rule) -%}
    {%- set patterns = [] -%}
    {%- for language, language_patterns in classification_patterns()[rule].items() -%}
        {%- do patterns.extend(language_patterns) -%}
    {%- endfor -%}
    coalesce({{ regexp_contains_ci(text, "'" ~ (patterns | join('|') | replace("'", "''")) ~ "'") }}, false)
{%- endmacro %}

{% macro customer_rule_flags(text) -%}
    {{ matches_rule(text, 'spam') }} as rule_spam,
    {{ matches_rule(text, 'closing') }} as rule_closing,
    coalesce({{ regexp_contains(text, question_pattern()) }}, false) as rule_question_mark,
    {{ matches_rule(text, 'question_opening') }} as rule_question_opening,
    {{ matches_rule(text, 'complaint') }} as rule_complaint,
    {{ matches_rule(text, 'request') }} as rule_request,
    {{ matches_rule(text, 'praise') }} as rule_praise
{%- endmacro %}

{% macro post_category() -%}
    case
        when rule_spam then 'other'
        when rule_closing and not rule_question_mark
            then case when rule_praise then 'praise' else 'other' end
        when rule_question_mark or rule_question_opening
            then case
                when rule_complaint and not rule_question_opening then 'complaint'
                else 'question'
            end
        when rule_complaint then 'complaint'
        when rule_request then 'request'
        when rule_praise then 'praise'
        else 'other'
    end
{%- endmacro %}

{% macro post_needs_reply() -%}
    not (
        rule_spam
        or (
            (rule_praise or rule_closing)
            and not (rule_question_mark or rule_question_opening or rule_complaint or rule_request)
        )
    )
{%- endmacro %}

{% macro reply_moves_to_private(text) -%}
    ({{ matches_rule(text, 'moved_to_private') }} and not {{ matches_rule(text, 'moved_to_private_negated') }})
{%- endmacro %}

{% macro reply_promises_feedback(text) -%}
    {{ matches_rule(text, 'promises_feedback') }}
{%- endmacro %}

{% macro reply_agent(text) -%}
    {#- the initials or first name a care agent signs with at the end of the reply (^JD, -Ana,
        *KB, /Sam), links and trailing spaces after it ignored; null when unsigned -#}
    nullif({{ regexp_group(
        text,
        "'(?:^|\\s)[\\^*/~\\-–—]\\s?([A-Z][A-Za-z]{0,2}|[A-Z][a-z]{2,14})(?:\\s+https?://\\S+)*\\s*$'",
    ) }}, '')
{%- endmacro %}

{% macro post_lang(text, declared) -%}
    coalesce(
        nullif({{ declared }}, ''),
        case when {{ matches_rule(text, 'german') }} then 'de' else 'en' end
    )
{%- endmacro %}
