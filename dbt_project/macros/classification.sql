{#- What a post says, by rules a reader can check: the customer post's category and whether it
    needs a reply; whether the brand's reply moves the conversation to a private channel,
    promises to pass the feedback on, and which agent signed it. Each rule is a list of regular
    expressions per language (case-insensitive, RE2 syntax as DuckDB reads it; `\b` is a word
    boundary); a post matches a rule when it matches one pattern of any language, so a language
    is added by adding its patterns. Each macro is described in _macros.yml. -#}

{% macro classification_patterns() -%}
    {#- shared fragments: what counts as feedback, who receives it, and "we/I (will) ..." -#}
    {%- set fb_en = "(feedback|comments?|suggestions?|thoughts|ideas?|concerns?|kind words|praise|compliments?|interest|input|views|opinions?|remarks|recommendations?|words|notes|shout ?out|feature request|experience|frustrations?|complaints?|observations?|vote|love|reviews?|tweets?|voice|thanks|thank you|requests?|messages?|posts?|write-?up)" -%}
    {%- set recipients_en = "(teams?|departments?|folks|colleagues?|people|contact cent(re|er)|leadership|management|managers?|developers|devs|engineers|product|buyers|crew|supervisors?|leaders|staff|partners|designers|decision.?makers|right people|higher.?ups|powers that be|planners|chefs|corporate|hq|head office|store|restaurant|location|branch|depot|station|kitchen|chef|captain|pilot|owner|franchisee|suppliers?|vendors?|manufacturers?|makers|producers|growers)" -%}
    {%- set subject_en = "\\b(we|i)(.?ll|.?d|.?ve| will| would| can| could| shall| have| are| am| .?re| .?m)?( (be sure|make sure|also|definitely|certainly|gladly|happily|love|like|want|be happy|be glad|glad|happy|going|absolutely|surely|always|now|just|already|have|be|sure|go ahead and))*( to)? " -%}
    {%- set fb_de = "(feedback|anregung(en)?|lob|kritik|hinweis(e)?|vorschlag|vorschläge|wunsch|wünsche|idee(n)?|rückmeldung(en)?|kommentar(e)?|komplimente?|verbesserungsvorschlag|verbesserungsvorschläge|verbesserungsidee|anmerkung(en)?|beschwerde|schilderung|beschreibung|beobachtung(en)?|erfahrung(en)?|nachricht|gedanke[n]?|worte)" -%}
    {%- set recipients_de = "(\\S*kolleg\\S*|\\S*team\\S*|\\S*abteilung|\\S*leitung|\\S*leiter\\S*|\\S*management|\\S*entwicklung|entwickler\\S*|verantwortlichen|zuständigen|einkauf|geschäftsführung|depot|crew|fachbereich|marketing|vorstand)" -%}
    {#- the start of a post: the @handles it addresses (and a greeting) before its first word -#}
    {%- set lead = "^\\W*(@\\w+\\W*)*((hi|hey|hello|dear|hallo|moin|servus|guten (tag|morgen|abend))\\b\\W*((all|guys|team|there|folks|everyone|y.?all|zusammen|leute)\\b\\W*)?(@\\w+\\W*)*)?" -%}
    {%- set mentions = "^\\W*(@\\w+\\W*)*" -%}
    {{ return({
        'question_opening': {
            'en': [lead ~ "(how|what|why|when|where|who|which|whats|is there|are there|are you|is it|is this|do you|does|did you|can (i|you|we|someone)|could (i|you)|will (i|you|it|my)|would|should|any (idea|update|news|way|reason|chance))\\b",
                   "\\b((would|it.?d|will) (be )?(nice|good|great|helpful|useful) to know|(want|wanted|need|like|love) to know|curious (if|whether|about|why|how|what|when)|any (idea|update|news|chance)|quick one|is (that|it|this) still|[.,!] (when|where|how|why) (will|is|are|do|does|did|can|should)|anyone know|wondering (if|why|whether|how)|let me know (if|when|how|why|what))\\b"],
            'de': [lead ~ "(wie|was|warum|wieso|weshalb|wann|wo|wohin|woher|wer|welche[rsmn]?|gibt es|habt ihr|haben sie|könnt ihr|können sie|kann (ich|man)|ist (das|es|der|die)|sind|wird|werden)\\b",
                   "\\b(weiß jemand|wüsste gern|würde gerne wissen|frage mich)\\b"],
        },
        'complaint': {
            'en': ["\\b(not|never|no longer|isn.?t|aren.?t|wasn.?t|doesn.?t|don.?t|didn.?t|won.?t|can.?t|cannot|couldn.?t) (work|working|load|loading|connect|arrive|arrived|received?|get|got|open|respond|responding|answer|sync|charge|play|update|download|install|start|boot|turn on|switch on|pair|print|accept)",
                   "\\b(thanks for nothing|thanks a lot\\W*$|not (happy|impressed|pleased|satisfied|good enough|ok|okay|acceptable)|(sucks?|sucked|crap|crappy|shit\\w*|rubbish|garbage|trash|joke|shame|poor|poorly|rude|unhelpful|fuck\\w*|wtf|smh|ugh|grr+|lost (\\w+ )?(customers?|business|a customer)|never again|(don.?t|do not|would not|wouldn.?t|won.?t) recommend|lied|lying)|broken|worst|ruin(s|ed|ing)?|barely (works?|working|usable)|(even |much |way )?(slower|worse)|repulsive|embarrassing|disgusting|terrible|horrible|awful|ridiculous|unacceptable|disappointed|disappointing|frustrat\\w*|annoy\\w*|angry|furious|useless|pathetic|disgusted|shame on|rip ?off|scam|invalid|declined|rejected|baffl\\w*|went wrong|ashamed|(couldn.?t|can.?t|didn.?t|won.?t|failed to|fail to|never) deliver\\w*|(having|has|have|had) (\\w+ )?trouble|(not|isn.?t|won.?t|doesn.?t|didn.?t|wouldn.?t) (allow|allowing|let|letting) me|(it|app|site|website|system|page|screen|machine) (is |keeps |keep |just )?(saying|says))\\b",
                   "\\b(bad (business|service|experience|customer service|company)|out of service|moron\\w*|idiot\\w*|incompetent|clueless|pissed|rudest|not (very |at all |remotely )?helpful|(losing|lost) (all )?faith|drop(ped|ping)? the ball|get your act together|no (resolutions?|responses?|replies|answers?|help|follow.?ups?|calls?|call ?backs?|texts?|e-?mails?|updates?|word|contact)\\b|(it.?s|its|it has) been \\d+ (min(ute)?s|h(ou)?rs|days|weeks|months)|that was \\d+ (days|weeks|hours) ago|(wrong|incorrect) (\\w+ )?(item|order|size|address|country|product|charge|amount|info|information|link|bag|parcel|package|delivery|food|bill|house|flat|door|card|date|day|time|email|e-mail)|(can.?t|cannot|couldn.?t|unable to) (even )?(log ?in|sign ?in|access|find|see|use|download|install|export|order|pay|watch|stream|call|reach|get through|check ?out|book|cancel|change|print|log on))\\b",
                   "\\b(oh (i )?(adore|love|fantastic|great|brilliant|lovely|wonderful|perfect|amazing)|(just |absolutely |really )?(love|loving|adore) (how|when|paying|being|getting|waiting|the new feature where)|amazing how|thanks a (million|bunch)|cheers for that|10/10 for|top work|genuinely impressive)\\b",
                   "\\b(\\d+ ?(min(ute)?s?|h(ou)?rs?|days?|weeks?|months?) (in|now|and counting|without|straight|later|late|on hold)|and counting|stone cold|404|never (moved|turned up|showed up|arrived|came)|(is|are|was|were) (all )?wrong|no (mains|food|signal|heating|hot water|power|internet|broadband|wifi)|(taken|charged|billed|debited)( \\w+){0,3} twice|(\\d+(st|nd|rd|th)|second|third|fourth|fifth) (cancellation|delay|time this (week|month)))\\b",
                   "\\b(still (waiting|no|not|down|broken|haven.?t|hasn.?t|isn.?t|nothing|showing|shows|says|got|charged)|again\\W*$|been waiting|waited|hours? on hold|on hold for|delay(ed|s)?|cancel+ed|overcharged|double charged|charged twice|(lost|losing|lose) my|missing|outage|down again|keeps? (crashing|freezing|dropping|failing|restarting|rebooting|buffering|disconnecting|cutting out|logging me out|turning off|switching off)|stuck (on|at|in)|haven.?t (received|had|heard back)|a hair in|raw|undercooked|stale|soggy|burnt|mou?ldy|ordered (\\w+ ){1,4}(and|but) (got|received|was sent|they sent)|crash(es|ed|ing)|froze|freez(es|ing)|error|glitch|bug)\\b"],
            'de': ["(funktioniert|klappt|geht|lädt|läuft) (immer noch |schon wieder |seit \\w+ )?(nicht|nix)",
                   "\\b(danke für (nix|nichts)|unterirdisch|peinlich|sauerei|nicht (zufrieden|akzeptabel|ok)|kaputt|störung|ausgefallen|ausfall|verspätet|verspätung|zu spät|gestrichen|storniert|frechheit|unverschämt|ärgerlich|enttäuscht|katastrophe|unmöglich|schlecht|mies|nervt|seit (tagen|wochen|stunden)|immer noch|schon wieder|kein (netz|empfang|internet|signal)|keine antwort|warte (seit|immer))\\b"],
            'es': ["\\b(no (me )?funciona|no puedo|jam[aá]s volver[eé]|nunca m[aá]s|p[eé]simo|estafa)\\b"],
            'fr': ["\\b(ne (marche|fonctionne|ressemble) (plus |pas)|pas (reçu|possible)|un (pb|problème)|arnaque|nul)\\b"],
            'ja': ["(エラー|できない|見れない|見られない|届かない|繋がらない|つながらない|使えない)"],
        },
        'problem_named': {
            'en': ["\\b(an?|the|same|weird|strange|this|my|having|have|had|some|major|big) (\\w+ )?(issues?|problems?)\\b"],
            'de': ["\\b(ein|das|dieses|mein|gleiche|komisches|großes) (\\w+ )?(problem|fehler)\\b"],
        },
        'request': {
            'en': ["\\b(please|pls|plz|kindly)\\b",
                   "\\b(can|could|would|will) (you|u|someone|somebody) (please )?(help|fix|check|look|send|refund|call|reply|respond|sort|tell|explain|confirm|reset|cancel|change|update|assist|dm|email)\\b",
                   "\\b((it.?d|it would|would|will) be (great|nice|good|awesome|cool|helpful|lovely) if (you|u|there|we)|that.?d be (great|awesome|helpful|appreciated|lovely)|you (should|need to) (add|bring|make|fix|let|offer|consider|have)|i need|i want|i.?d like|need (\\w+ )?(help|assistance|support|a refund|someone)|(i.?d|i would|we.?d|we would|would) (really )?appreciate (it )?if|(want|need) (a|my) (refund|replacement|money back)|refund (please|pls|plz)|if (you|u|someone|somebody|anyone) could|help me|help!|fix (this|it|my)|sort (this|it) out|get back to me|refund me|call me|dm me)\\b"],
            'de': ["\\b(bitte|bitteschön)\\b",
                   "\\b(könnt ihr|können sie|könntet ihr|könnten sie|würdet ihr|würden sie) (mir |uns |das |es )?(bitte )?(helfen|prüfen|schauen|nachsehen|zurückrufen|erstatten|ändern|beheben|melden|schicken|sagen|erklären)",
                   "\\b(wäre (super|schön|toll|gut|klasse|nett|cool|praktisch|prima),? wenn|ihr solltet|ich (brauche|benötige|möchte|will|hätte gern)|helft mir|meldet euch|ruft mich an|erstattet)\\b"],
        },
        'praise': {
            'en': ["\\b(thanks?|thank you|thankyou|thx|thnx|thanx|thankx|tnx|tysm|ty|cheers|much appreciated|appreciate (it|you|that|the)|kudos|shout ?out)\\b",
                   "\\b((love|loved|loving|adore) (\\w+ing|it|you|this|the|my|your|that|how|u|ya|y.?all)|(the|you.?re the|you (da|the)|u (da|the)) best|best (\\w+ ){0,2}ever|great|nice|lovely|delicious|tasty|yummy|fun|glad|pleased|enjoy(ed|ing)?|friendly|helpful|stress.?free|bravo|hats off|stepped up|good job|props|thumbs up|beautiful|perfect|outstanding|superb|incredible|legends?|heroes|hero|gold star|a\\+|10/10|love (it|you|this|the|my)|great (job|service|work|help)|awesome|amazing|excellent|fantastic|brilliant|wonderful|best (customer|service|support)|well done|you rock|so helpful|very helpful|impressed)\\b",
                   "\\b(fave|favou?rite|genius|bliss|unreal|you.?re a (star|gem|legend)|absolute (star|legend|hero|gem)|deserves a (medal|raise|pay rise|promotion)|give (that|him|her|them) (\\w+ )?a (medal|raise|pay rise|promotion)|never (regretted|looked back)|not a single (problem|issue)|lives rent free|bless (you|u)|neat|so excited|cute|(so|really|soo+|too|dangerously|insanely|ridiculously|very|pretty|sooo) good|on repeat|obsessed|life.?changing|living for|can.?t get enough|hits different|slaps|goated|a (total |absolute )?vibe|(made|make|makes|making) (my|her|his|our|their) (\\w+ )?(day|night|week|morning|evening|year)|(day|night|week) (is|was) made|(the )?only (\\w+ ){1,2}i.?(ll|d)? ?(ever )?(fly|use|bank|shop|order|buy|trust|go)\\b|can.?t (complain|fault)|couldn.?t (be happier|fault|have asked for more|ask for more)|wouldn.?t change a thing|no complaints (here|at all|from me|whatsoever))\\b"],
            'de': ["\\b(danke|dankeschön|vielen dank|besten dank|merci|herzlichen dank)\\b",
                   "\\b(super|toll(e|er|es|en)?|klasse|spitze|genial|großartig\\w*|hervorragend\\w*|top service|lob|weiter so|so muss das|(sehr|richtig|total|echt|super|so) (hilfreich|nett|freundlich|schnell|lecker|gut|zufrieden|kompetent)|freundlich\\w*|nett(e|er|es|en)?|lecker\\w*|perfekt|prima|daumen hoch|(echt|einfach|mega|super|voll) top|top (service|kundenservice|support|leistung|arbeit)|respekt|sonnenschein|heldin|helden|spitzenmäßig|hat (er|sie) sich verdient|shout ?out)\\b"],
        },
        'closing': {
            'en': [mentions ~ "(ok(ay)?|k|kk|sure|sure thing|will do|got it|great|perfect|sounds good|done|no worries|all good|sorted|cool|understood|noted|alright|fine|ah|oh|(my|the) pleasure)\\W*(,|!|\\.|thanks?|thank you|thx|cheers|will do|i will|i.?ll (do that|try|check)|\\s)*$",
                   mentions ~ "((and )?(you|u) too|and (you|u)|same to (you|u)|likewise|lol|lmao|haha\\w*|hehe\\w*|sure sure)\\W*(,|!|\\.|thanks?( again)?|thank you|thx|cheers|ta|\\s)*$",
                   mentions ~ "(ah |oh |honestly )?(no worries|no problem|no bother|not a problem|it.?s (ok|okay|fine|all good|alright))\\b",
                   "\\b(i.?ll|i will|will|gonna|going to) (give (that|it|this) a (go|try|shot)|have a (look|go)|try (that|it|this)|keep an eye (out|on it)|shout if (not|it doesn.?t|i need)|(dm|pm|message) (you|u)( guys)?|send (it|them|that|the \\w+) (over|through)|do (that|it|so))\\b",
                   mentions ~ "((yes|yeah|yep|yup|sure|ok(ay)?|right|of course)\\W+)*(i )?(sure |certainly |definitely |absolutely )?(can|will|shall)( do( (it|that|so))?)?\\W*$",
                   mentions ~ "(no|nah|nope)\\W+(need|don.?t worry|not worth it|it.?s (fine|ok|okay|all good)|thanks|i.?m (good|ok|okay|fine|all good)|all good)\\b",
                   mentions ~ "(👍|👌|🙏|❤|💙|💜|💚|😊|🙂|☺|😀|😁|😃|😄|🙌|👏|💯|😍|🥰|😘|😋)\\W*$",
                   "\\b(i.?d|i would) rather (do it|do that|sort it|deal with it|handle it|call|go|pop|visit|speak to|talk to)\\b",
                   "\\b(hopefully|hope) (that|it|this) (works|does (it|the trick)|fixes it)\\b|\\bhope so\\W*$",
                   "\\b(sorry|apologies|apologi[sz]e) (\\w+ )?for (the|my|all the|this|that) (panic|confusion|fuss|false alarm|hassle|bother|rant|outburst|angry tweet|mix.?up|drama|noise)\\b",
                   "\\b(that (worked|fixed it|did it|helped)|it.?s (working|fixed|sorted) now|(problem|issue|all) (solved|resolved|sorted)|works (now|again)|working (now|again)|all set|never ?mind|nvm|figured it out|sorted it)\\b"],
            'de': [mentions ~ "(ok(ay)?|alles klar|passt|gut|super|perfekt|verstanden|mach ich|machen wir|erledigt)\\W*(,|!|\\.|danke|dankeschön|mach ich|\\s)*$",
                   "\\b(sorry|entschuldigung|entschuldigt|verzeihung) (\\w+ )?(für|wegen) (die|den|das|meine|meinen) (aufregung|verwirrung|umstände|panik|aufruhr|aufstand|rant|wutausbruch|durcheinander)\\b",
                   "\\b(hat (geklappt|funktioniert)|funktioniert (wieder|jetzt)|geht wieder|läuft wieder|problem (gelöst|behoben)|hat sich erledigt|alles wieder gut)\\b",
                   "\\b(gut zu wissen|dann warte? ich( \\w+){0,2} ab|dann warte? ich (geduldig|mal|halt|eben)|(mach|mache) ich (\\w+ ){0,3}(per (dm|pn)|gleich|heute?|morgen|sobald|später|nachher)|schreib(e)? (euch|ihnen|dir) (\\w+ ){0,2}(per (dm|pn)|eine (dm|pn)|gleich)|kommt (gleich )?per (dm|pn)|(probier|versuch)(e)? (ich )?(es |s |'s )?(\\w+ ){0,3}(nochmal|später|morgen|erneut)|(dir|ihnen|euch) auch|verstehe|(schon )?verstanden|alles gut|kein problem|keine sorge)\\b"],
        },
        'resolved': {
            'en': [mentions ~ "(it |that |this )?(worked|works|working)( now| again| fine| perfectly| great)?\\W*($|\\.|!)",
                   mentions ~ "(we.?re|we are|i.?m|i am|all) (all )?(good|sorted|set|fine)( now)?\\W*($|\\.|!)",
                   "\\b(it|that|this|which) (finally |then )?(worked|works( now| again| fine)?|downloaded( now| fine)?)\\W*$",
                   "\\b((it |that |this )?seems to be (working|fine|ok|okay|sorted)( now)?|that (worked|fixed it|did it|did the trick|helped)|it.?s (working|fixed|sorted|resolved|back) now|(they|it).?re? (back|working|fine) (now|again)|(problem|issue|all) (solved|resolved|sorted|fixed)|works (now|again|fine now)|working (now|again|fine now)|(is|are|it.?s|all|everything|things|service|now|finally) back to normal|all set|never ?mind|nvm|figured it out|sorted it|(it|they) (returned|came back)|(does|did|has|it|that|this) (resolve|resolved|fix|fixed|solve|solved) (the|my|it|this|that)|got it (to )?work(ing)?|(issue|problem) (is |has been |.?s )?(gone|fixed|solved|resolved))\\b",
                   "\\b(ignore (me|my (last|previous|earlier)( \\w+)?|that|the last( \\w+)?)|scratch that|scrap (that|my last)|false alarm|panic over|my (bad|mistake)|(wrong|different) (bank|account|provider|company|airline|store|shop|site|website|app|person|brand)|tagged the wrong|meant to tag|found it|(turned|showed) up|came through|went through (fine|ok|okay)|(is|are|.?s|seems? to be|came|come) back (on|up)|all (good|fine) (here|now)|all working|worked a treat|(it.?s|it has|it.?s) stopped( doing it)?)\\b"],
            'de': ["\\b(hat (geklappt|funktioniert)|funktioniert (wieder|jetzt)|geht wieder|läuft wieder|problem (gelöst|behoben)|hat sich (\\w+ ){0,3}(erledigt|gelöst)|alles wieder gut|brauche keine (dm|pn|hilfe) mehr|(läuft|geht|funktioniert|klappt) (jetzt |nun )?(wieder|doch)|geht jetzt|(ist|sind) doch (noch )?(gekommen|angekommen|da)|(selbst|selber) (hinbekommen|gelöst|geschafft)|hinbekommen|alles erledigt|mein fehler|falsch eingegeben|vergesst es|ist (endlich )?(angekommen|eingegangen|da))\\b"],
            'ja': ["(解決しました|解決できました|直りました|治りました|届きました|できました)"],
        },
        'thanked_for_fix': {
            'en': ["\\b(thanks?|thank (you|u)|thankyou|thx|ty|cheers|shout ?outs?|kudos|props|hats off|big up|grateful|appreciate (it|you|that))\\b[^.!?;,\\n]{0,40}?\\bfor (\\w+ing (and|&) )?(actually |finally |quickly |so quickly |kindly |swiftly |promptly |really |all )?(sorting|fixing|resolving|solving|taking care of|dealing with|handling|helping|(the|all the|all your|your) (help|support|assistance)|the (quick |fast |speedy |swift |prompt )?(fix|resolution|refund|replacement)|replacing|refunding|getting (it|this|that|me|my|us|everything|things|them)\\b[^.!?;,\\n]{0,40}?\\b(sorted|fixed|back|resolved|working|replaced|refunded))\\b[^.!?;,\\n]*"],
            'de': ["\\b(danke|dankeschön|vielen dank|besten dank|herzlichen dank|merci)\\b[^.!?;,\\n]{0,40}?\\b(für|fürs) (die |eure |deine |ihre |das |den )?(schnelle |rasche |tolle |nette |super |freundliche )?(hilfe|unterstützung|lösung|lösen|klären|klärung|beheben|erledigung|erstattung|ersatz|reparatur|bearbeitung)[^.!?;,\\n]*",
                   "\\b(danke|vielen dank|dankeschön)\\W+dass (ihr|du|sie) [^.!?;\\n]{0,60}?(gelöst|behoben|geklärt|erledigt|repariert|erstattet|geholfen|ersetzt)\\b"],
        },
        'thanked_for_fix_undone': {
            'en': ["\\bfor [^.!?;,\\n]*(\\b(still|not|never|nothing|no longer|again|yet|wrong)\\b|n.t\\b)"],
            'de': ["\\b(für|fürs|dass) [^.!?;,\\n]*\\b(immer noch|noch immer|nicht|nie|nichts|wieder|falsch)\\b"],
        },
        'contrast_thanks': {
            'en': ["\\b(but|however|although)\\W+(thanks?|thank you|thx|ty|cheers)\\b|\\b(thanks?|thank you|thx|ty|cheers)( \\w+){0,3}\\W*(though|anyway|anyways|regardless)\\W*$",
                   "\\b(thanks?|thank you|thx|ty|cheers)( \\w+){0,2}\\W+but (no need|not needed|(i.?m|we.?re|all) (ok|okay|fine|good|sorted)|all (good|sorted)|it.?s (ok|okay|fine|sorted)|(already )?sorted)\\b"],
            'de': ["\\b(aber|trotzdem)\\W+(danke|vielen dank)\\b|\\b(danke|vielen dank)( \\w+){0,3}\\W*(trotzdem|dennoch)\\W*$",
                   "\\b(danke|vielen dank)( \\w+){0,2}\\W+aber (nicht (mehr )?nötig|hat sich (schon )?erledigt|(ist )?schon erledigt|alles gut|passt schon)"],
        },
        'follow_up': {
            'en': ["\\b(booking|order|account|reference|ref|confirmation|tracking|case|ticket|flight|membership|reservation|customer) ?(no|nr|number|num|#|ref|reference|code|id)\\b",
                   "\\b(i|we)( have| had|.?ve| just| already| also| then)* (dm.?e?d|dm|direct messaged|private messaged|pm.?e?d|messaged|sent|submitted|e-?mailed|called|rang|replied|responded|filled (in|out)|followed|tried|uploaded|attached|contacted|spoke|spoken|talked)\\b",
                   mentions ~ "(sent|submitted|done)\\b",
                   mentions ~ "(just |already |have )*(dm.?e?d|pm.?e?d|messaged|e-?mailed|sent)( (you|u|it|them|this|that))?\\b",
                   "\\b(already (tried|done|checked|did)|(tried|done|checked|did) (that|this|it|both|everything|all (of )?(that|those|them))( \\w+)? already|same (thing|result|problem|issue|error)|no (luck|change|difference|joy))\\b",
                   "\\b(here.?s|here is|here are|this is) (the|my|a|an|our) (link|article|news article|screenshot|photo|pic|picture|receipt|video|info|details|number|address|email)\\b|\\b(just|already) sent (it|them|you|the)\\b",
                   "\\b((pic|pics|photo|photos|picture|pictures|screenshot|screenshots|image|images|receipt|video)( is| are)? (attached|below|above)|attached (is|are) (the |a |my )?)\\b",
                   "\\b((dm|dms|details|info|information|message|e-?mail|screenshot|photo|picture|form|request|it|everything) (sent|submitted|attached|done|provided)|check (your|ur|the) (dms?|inbox|messages|e-?mails?|pms?)|sent (you|u|y.?all) (a |an |the )?(dm|message|e-?mail|pm|details))\\b"],
            'de': ["\\b(ich|wir)? ?(habe|hab|haben)( euch| ihnen| dir| es| das| ihn| sie)?( \\w+){0,3} (geschickt|gesendet|geschrieben|angerufen|probiert|versucht|ausprobiert|ausgefüllt|gemeldet|hochgeladen)\\b",
                   "\\b((dm|pn|nachricht|mail|e-mail|formular) (ist )?(raus|unterwegs|geschickt|gesendet|abgeschickt)|schau(t)? (mal )?in (eure|die|deine|ihre) (dms?|pns?|nachrichten|mails?))\\b"],
        },
        'news_after_closing': {
            'en': [mentions ~ "(great|perfect|lovely|brilliant|cool|ok(ay)?|no worries|thanks?|thank you|cheers|awesome|nice|fab|merry christmas|happy new year)( thanks| thank you| cheers| at all)?\\W*[.!]+\\s+(the|my|our|i.?m|i.?ve|i|it|there.?s|this|that|when|also|one more|just one)\\b( \\w+){0,4}? (is|are|was|were|says|said|shows|showing|has|hasn.?t|have|haven.?t|isn.?t|aren.?t|wasn.?t|didn.?t|doesn.?t|don.?t|came|got|still|need|needs|goes|went|fly|flying|leave|leaving|am)\\b"],
        },
        'asks_for_details': {
            'en': ["\\b(which|what|where|when|how many|how much|what.?s|whereabouts)\\b[^?.!]*[?]|\\b(could|can|would) you (please )?(tell|confirm|share|send|let us know|provide|give)\\b|\\blet us know (which|what|where|when|the)\\b"],
            'de': ["\\b(welche[rsmn]?|was|wo|wann|wie viele|wieviel)\\b[^?.!]*[?]|\\b(kannst du|können sie|könntest du|könnten sie) (uns )?(bitte )?(sagen|mitteilen|schicken|senden|nennen|bestätigen)\\b"],
        },
        'contrast': {
            'en': ["\\b(but|however|though|although|except|unfortunately|yet|whereas|just that|only thing)\\b"],
            'de': ["\\b(aber|jedoch|trotzdem|allerdings|leider|obwohl)\\b"],
        },
        'greeting': {
            'en': ["\\b((happy|merry) (halloween|holidays?|christmas|xmas|new year|thanksgiving|easter|birthday|friday|monday|weekend|hump day|hanukkah|diwali)|have a (great|nice|good|lovely|happy|wonderful) (day|weekend|one|evening|night|trip|holiday)|congrat\\w*|well deserved|happy (\\d+\\w* )?(birthday|anniversary))\\b"],
            'de': ["\\b(schönes wochenende|schönen (tag|abend|sonntag|feierabend|urlaub)|frohe (weihnachten|ostern|feiertage)|guten rutsch|frohes neues|allen ein schönes)\\b"],
        },
        'resolved_at_end': {
            'en': ["\\b(but|though|however|although)\\b[^?]*\\b(it|that|this|everything|all|they|which)( \\w+){0,2}? (seems to be |seem to be |is |are |.?s |.?re )?(working|works|worked|fixed|sorted|resolved|solved|downloaded|arrived|back to normal|back up|up and running)( now| again| fine| perfectly)?\\W*$"],
            'de': ["\\b(aber|doch|jedoch)\\b[^?]*\\b(läuft|geht|funktioniert|klappt) (jetzt |nun )?(wieder|doch|alles)\\W*$"],
        },
        'self_answered': {
            'en': ["\\?[^?]*\\b(never ?mind|nvm|ignore me|found it|figured it out|scratch that|oh wait|just (checked|seen|found|saw))\\b[^?]*$"],
            'de': ["\\?[^?]*\\b(hat sich erledigt|vergesst es|schon gefunden|habe? es gefunden|ignoriert (das|mich))\\b[^?]*$"],
        },
        'joke_format': {
            'en': ["^\\W*((that (moment|feeling) |me |me: )?when (you|u|ur|your|ya|i|my|the|ppl|people|someone|somebody|nobody|everyone) \\w+|me:|-\\s*me\\b|pov:|nobody:)"],
        },
        'joke_format_asks': {
            'en': ["^\\W*when (you|u|ya) ?(gonna|going to|will|plan|r|are)\\b"],
        },
        'broadcast': {
            'all': ["^\\W*(@\\w+\\W*){4,}"],
        },
        'shares_link': {
            'all': ["https?://"],
        },
        'first_person': {
            'en': ["\\b(i|i.?m|im|my|me|mine|myself|i.?ve|i.?d|i.?ll)\\b"],
            'de': ["\\b(ich|mein|meine|meinen|meinem|meiner|mir|mich)\\b"],
        },
        'care_voice': {
            'en': ["\\b((we.?d|we would|we.?ll|we will|we.?re|we are|i.?d|i would) (like|love|be happy|be glad|be more than happy|happy|glad) to (help|assist|look into (this|that|it) for you)|(could|can|would) you (please )?(share|send|provide|give|tell) (with )?us (some |a few |the |your )?(more )?(details|info|information)|let (us|@\\w+) know if (you.?re|you are) still (having|experiencing|seeing|facing)|(drop|send) (me|us) (the|your) (passenger.?s?|booking|account|order|full) (name|number|details|reference|e-?mail)|how (can|may) (we|i) (help|assist)( you)?|(please )?stand by,? please|(we|i) apologi[sz]e for (the|any) inconvenience|(everything|service|services) should (now )?be back to normal)\\b"],
            'de': ["\\b((wir|ich) (helfen|unterstützen) (dir|ihnen|euch) gern|wie können wir (dir|ihnen|euch) helfen|(kannst du|können sie) uns (bitte )?(mehr |genauere |weitere )?(details|infos|informationen)|wir entschuldigen uns für die unannehmlichkeiten)\\b"],
        },
        'announcement': {
            'en': ["\\b((we.?re|we are) (excited|thrilled|proud|delighted|pleased|happy) to (announce|share|introduce|welcome|launch)|pre-?order (now|today|yours|your|the|#)|(don.?t|do not) miss (our|the|tomorrow|today|this)|(stream|event|sale|show|offer) (kicks off|starts|begins|ends)|(is|are) (just )?\\d+ (days|hours|weeks) away|available (now|today) (at|on|in)|out now|(tune|tuning) in|stay tuned|learn more (at|here)|(enter|submit) (now|your|to win)|terms (and|&) conditions apply)\\b"],
            'de': ["\\b(wir freuen uns,? (euch|ihnen|bekannt)|jetzt vorbestellen|nicht verpassen|jetzt erhältlich|ab sofort (erhältlich|verfügbar|bei|im))\\b"],
        },
        'signed_by_agent': {
            'all': ["(^|\\s)([\\^*][A-Z][A-Za-z]{1,14}|\\^[a-z]{2,3})\\s*$"],
        },
        'moved_to_private': {
            'en': ["\\b(dm|dms|d\\.m\\.|direct ?message|direct messages|private message|private messages|inbox|send us a (note|message)|message us|drop us a (line|message|note)|reach (out to )?us (via|by|through|in|at|on|here|directly)|follow (us|and dm)|follow/dm|follow \\+ dm)\\b",
                   "\\b(pm (us|me)|(a|an|via|by|in|by|your|our|send) pm)\\b",
                   "\\b((drop|shoot|send) (us|me) an? (line|message|note|dm|pm|e-?mail|call)|(contact us|get in touch|reach out|message us|write to us|you (may|can) call)[^.!?]{0,60}:\\s*https?://|(please|pls|kindly|feel free to|you can|you may|can you|need to|best to|recommend you|suggest you) reach out to (our|the) (\\w+ ){0,3}(team|specialists|experts|support|folks|department|agents|advisors)|(reach out|get in touch|contact us|message us|chat with us|connect with us) ?:? ?(here|via|through|at|using|on|by)\\b|(link|here|page|form|website|site|app|https?://\\S+) to (contact|reach|chat with|message|e-?mail|call|get in touch with) us\\b|call (our|the) (\\w+ ){0,3}(team|line|number|helpline|support|desk|department|service|center|centre|office|specialists)|give (them|our (\\w+ ){0,2}team) a (call|ring)|(replied|responded|written|answered|reply|respond) (to you )?(via|by|in|through|over) (e-?mail|private|phone|dm)|(will|.?ll|shall) (be|get) in touch( with you| shortly| soon| directly| by| via| as soon|\\s*[.!]|\\s*$)|(will|.?ll|shall) reach out (to you|shortly|soon|directly|within|in the next))\\b",
                   "\\b(e-?mail (us|me|our \\w+ ?team)|(send|drop|shoot|write) (us|me) an? e-?mail|(contact|reach|write to|get in touch with) (us|me|our \\w+ ?team) (via|by|through|at) e-?mail|[\\w.+-]+@[\\w-]+\\.[a-z]{2,})\\b",
                   "\\b(call us|give us a (call|ring)|phone us|ring us|contact us (at|on|via|by|here|through|directly|using|with)|contact (form|page|our \\w+ ?(team|folks|support|experts|specialists|advisors|department))|write (to )?us|chat with us|live chat|chat (team|here|link|at|via)|via chat|start a chat|(our|the) (live |online )?chat\\b|online form|fill (out|in) (the|this|our) form|(request|complaint|claim|contact|enquiry|inquiry|support) form|submit (a|the|your) (form|request|ticket|claim|complaint)|link (for|to (submit|send|make|file|lodge)) (your|a|the) (request|complaint|claim|enquiry|inquiry))\\b",
                   "\\b((speak|speaking|talk|talking|chat|chatting|connect|connected|in touch) (to|with) (our|one of our|an?) (\\w+ ){0,2}(experts?|specialists?|advisors?|advisers?|agents?|team|representatives?|reps?|support))\\b",
                   "\\b((let (us|our (\\w+ )?team) know|your details|your information|your info) (here|at the link|via the link|at|via|using|through) ?:? ?(the |this |our )?(link|form|https?://))",
                   "\\b((reach(ing)? out|get(ting)? in touch|be in touch|follow(ing)? up) (to you |with you )?(shortly|soon|directly|privately|by (e-?mail|phone)|via \\w+)|(will|.?ll|shall|to|can) (contact|call|e-?mail|phone|ring) you|(missed|return|returning|returned) (your|the) call|(able|free|available) to (talk|speak|chat))\\b",
                   "\\b((whatsapp|messenger|imessage|wechat|telegram)|text us|privately|in private|(private|secure|secured) (\\w+ )?(link|channel|chat|form)|click (on )?(the )?\\W?message\\W? (button|at the top|on (our|my) profile))\\b",
                   "\\b((get|getting) in touch|reach out|contact us|talk to us|speak to us|speak with us)( with us)? (by|via|over|through|on|using) (phone|chat|e-?mail|dm|message|the link|this link|our)\\b|\\buse (the|this|our) (\\w+ )?link (below |above )?to (provide|send|share|submit|tell|give|contact|reach)\\b|\\breach out (to )?(our (\\w+ ){0,2}(team|support|experts|specialists|folks)) (here|via|at|through|using|on)\\b",
                   "\\b(tell us more|tell us about|share more|take a (closer )?look|look into (this|it)|investigate|contact us|get in touch)[^.!?]{0,40}\\b(here|below|link)\\W*:?\\s*https?://",
                   "\\b((ring|phone|call|chat) (in )?(or (ring|phone|call|chat) (in )?)?with us|(phone|call|ring) or chat|chat or (phone|call|ring)|(number|time|way) (where|when|at which|by which) (you|we) can (be reached|reach you)|where you can be reached|continue (our|the|this) conversation (there|privately|in private|by|via|over)|click (here|below|on the link|the link|this link) to (provide|send|share|submit|give|tell|enter)|(tell us more|let us know more|share (more|the) details)[^.!?]{0,40}:\\s*https?://)",
                   "\\b((we.?re|we are|we.?ve|we have|i.?m|i am|i.?ve) (now |just |also )?follow(ing|ed) you|contact (our|the) (\\w+ ){0,2}(teams|office|offices)|reach out to (me|us) (at|via|through|using|on|here)|(best|good|convenient) (time|number|way) to (reach|call|contact) you|(will|.?ll|shall) follow up with you|(log|submit|enter|provide|leave) (your |the |full |all )*(details|information|info) (here|at|via|using|on|through)\\W*:?\\s*(the |this |our )?(link|form|https?://))",
                   "\\b1[-. ]?8(00|33|44|55|66|77|88)[-. ]?[0-9a-z]{3}[-. ]?[0-9a-z]{4}\\b|\\b0(800|808|345|344|330|370)[ -]?\\d{3}[ -]?\\d{3,4}\\b",
                   "\\b(1[-. ]?)?\\(?[2-9]\\d\\d\\)?[-. ]\\d{3}[-. ]\\d{4}\\b|\\b0\\d{2,3}-\\d{3}-\\d{3,4}\\b|\\b0800[ -]?\\d{3}[ -]?\\d{3,4}\\b|\\b0[1-9]\\d{2,3}[ -]\\d{3}[ -]?\\d{3,4}\\b",
                   "\\b(dm.?e?d|pm.?e?d|messaged|e-?mailed|texted) you\\b|\\b(sent|send|dropped) you an? (private |direct |quick )?(message|dm|pm|e-?mail|note|text)\\b|\\breply to (the|our|that) e-?mail\\b",
                   "\\b(will|.?ll|shall|to) (give you a (call|ring|bell)|be (calling|phoning|ringing|e-?mailing|texting|messaging) you)\\b|\\b(expect|arrange|book|booked|request|schedule|scheduled) (you )?an? (call|call ?back|phone call)\\b|\\bcall ?back\\b",
                   "\\btake (this|it|the|our) (conversation |chat )?offline\\b|\\bpop (us|me) an? (message|dm|pm|line|note|e-?mail)\\b|\\be-?mail (our|the) (\\w+ )?team\\b",
                   "\\b(hit|tap|click|use|press) (on )?(the )?\\W?message\\W? (button|at the top|on (our|my) (profile|page))|\\b(get in touch|reach out|speak|chat) with us (via|through|at|using|on|by|here)\\b|\\b(reach|contact) (our|the) (\\w+ ){0,2}(team|support|agents|advisors) (directly )?(via|through|at|using|on)\\b|\\bto chat (directly |live )?(with|to) (our|the|an?) (\\w+ ){0,2}(team|agents?|advisors?|experts?|specialists?)\\b",
                   "\\bsend (them|it|these|those|your (\\w+ )?details) (through|via|using|to us (via|through|using)) (https?://|the link|this link|our form)|\\b(into|in|on|via|using) (the|this|our) (\\w+ )?form (here|below|at|via)\\b|\\b(raise|open|log|submit) an? (support |service )?ticket\\b"],
            'de': ["\\b(dm|pn|direktnachricht|privatnachricht|private nachricht|persönliche nachricht|nachricht an uns|schreib (uns|mir)|schreiben sie uns|schreibt uns|melde dich|melden sie sich|meldet euch)\\b",
                   "\\b(ruf|rufe|ruft|rufen sie|rufen)\\b[^.!?]{0,60}\\ban\\b|\\b(anrufen|telefonisch|hotline|notruf|per (e-?mail|mail|telefon|chat)|kontaktformular|im chat|unser(en)? chat)\\b|\\bunter \\+?\\d[\\d /-]{4,}\\d",
                   "\\b(antworte|antworten|melde|melden|schreibe|schreiben) (ich |wir )?(dir|ihnen|euch) (\\w+ ){0,2}(dort|privat|per)\\b",
                   "\\b(whatsapp|messenger|privat (weiter|klären|besprechen)|nicht öffentlich|(wende|wenden sie|wendet) (dich|sich|euch) (bitte )?(\\w+ ){0,3}an (uns|unseren|unsere|den|die|das)|(kundenservice|kundendienst|service-?team|hotline) (unter|per|über|via)|e-?mail an)\\b",
                   "\\b((sende|senden sie|sendet|schick|schicke|schicken sie|schickt) (uns|mir)|kontaktier(e|en sie|t)? (uns|mich)|meld(en|et|e) (uns|sich|mich) (\\w+ ){0,2}bei (dir|ihnen|euch)|(rufen|ruft|rufe) (dich|sie|euch) (\\w+ ){0,2}(an|zurück))\\b"],
            'es': ["\\b(mensajes? (directos?|privados?)|por privado|s[ií]guenos|escr[ií]benos|ll[aá]manos|env[ií]anos|m[aá]ndanos|mandarnos|enviarnos)\\b"],
            'pt': ["\\b(entre em contato|entrar em contato|fale conosco|nos envie|mensagem (direta|privada))\\b"],
            'ja': ["(お問い合わせ|ご連絡ください|フリーダイヤル|ダイレクトメッセージ|カスタマーサービスにお知らせ)"],
        },
        'moved_to_private_negated': {
            'en': ["\\b(no need to ((send|drop) us an? )?(dm|email|e-mail|call|message|contact)|(don.?t|do not) (need to )?(dm|email|e-mail|call|message|contact)( or (dm|email|e-mail|call|message))? us)\\b"],
            'de': ["\\b(keine (dm|pn|nachricht|mail) (mehr )?(nötig|notwendig|erforderlich)|(dm|pn|nachricht|mail) (ist |wäre )?(dafür |hierfür |hier |dazu )?(nicht|nicht mehr) (nötig|notwendig|erforderlich)|(musst|müssen) (du |sie )?(uns )?(keine|nicht) (dm|pn|schreiben|anrufen))\\b"],
        },
        'promises_feedback': {
            'en': ["\\b(pass|passed|passing|relay|relayed|feed|fed) (it|this|that|these|them|those|everything|(your|the|this|that|these|those)( \\w+){0,2}? " ~ fb_en ~ ")( \\w+){0,3}? (on|along|over|back)\\b",
                   "\\b(pass|passed|passing|share|shared|forward|forwarded|forwarding|relay|relayed|send|sent|escalate|escalated|feed|fed|bring|brought|raise|raised|report|reported|flag|flagged|mention|mentioned|highlight|highlighted|review|discuss) (it|this|that|these|them|those|(your|the|this|that|these|those)( \\w+){0,2}? " ~ fb_en ~ ")( \\w+){0,5}? (on to|onto|along to|over to|back to|to|with|w/) ?(the|our|my|your|all)( \\w+){0,2}? " ~ recipients_en ~ "\\b",
                   subject_en ~ "(pass|share|forward|relay|feed back|log|record|note down|submit) (on |along )?(the|your|this|that|these|those|all)( \\w+){0,2}? " ~ fb_en ~ "\\b",
                   "\\b(have|has|had|.?ve) (already |now |just |also )?(shared|passed|forwarded|relayed|fed back|logged|escalated) (on |along )?(the|your|these|those|this|that|all)( \\w+){0,2}? " ~ fb_en ~ "\\b",
                   "\\b" ~ fb_en ~ " (will be|will get|has been|have been|is being|are being|was|were|.?s been|.?ve been|got|gets) (\\w+ )?(passed|shared|forwarded|sent|relayed|fed back|logged|noted down|recorded|escalated)\\b",
                   "\\b(pass|passed|passing|relay|relayed|feed|fed|send|sent|forward|forwarded) (on|along|back|over) (the|your|this|that|these|those|all)( \\w+){0,2}? " ~ fb_en ~ "\\b",
                   subject_en ~ "(bring|brought) (this|it|that|these|your \\w+) to (the|our) (\\w+ ){0,2}attention|" ~ subject_en ~ "make sure (this|it|that|these|your( \\w+)? " ~ fb_en ~ ") (gets|goes|reaches|is passed|is shared|get|go|reach)\\b",
                   subject_en ~ "(let|made|make|make sure) (the|our|my)( \\w+){0,2}? " ~ recipients_en ~ " (know|aware|hears?|knows|is aware|are aware|feels?|gets?|sees?|receives?)\\b",
                   subject_en ~ "(follow up|get in touch|touch base|check in) with (the|our|that) (right |local )?(\\w+ )?(team|store|restaurant|location|manager|crew|staff)( there| about (it|this|that))?(\\s*[.!?]|\\s*$| so )",
                   "\\b(get|send|pass|take) (this|it|that|these) to the right (people|team|folks|department)\\b",
                   "\\bvoice (your|these|those|the|this) (\\w+ )?" ~ fb_en ~ "\\b",
                   subject_en ~ "(get|make|create|raise|open|log|file) an internal (log|report|record|note)\\b",
                   subject_en ~ "(reach out to|contact|contacted|notify|notified|inform|informed|alert|alerted|e-?mail|e-?mailed|speak (to|with)|spoken (to|with)|talk (to|with)) (the|our|your)( \\w+){0,2}? (leadership|management|(store |general |area |duty )?managers?|buyers|leaders)\\b",
                   "\\b(this|it|that|these|those)( \\w+){0,2}? (has been|have been|was|were|will be|.?s been|.?ve been|is being|are being|gets|got) (\\w+ )?(passed|shared|forwarded|sent|relayed|fed back|flagged|raised|reported|escalated|mentioned|highlighted) (on |along |back |over )?(to|with) (the|our|all|my)( \\w+){0,2}? " ~ recipients_en ~ "\\b",
                   subject_en ~ "(mention|mentioned|bring up|brought up|raise|raised|flag|flagged) (it|this|that|these|your( \\w+)? " ~ fb_en ~ ") (to|with) (them|the|our|my)\\b",
                   "\\b((logged|added|recorded|submitted|noted) (it|this|that|your \\w+) as an? (feature request|suggestion|idea|product suggestion)|added your (vote|voice|suggestion|idea|request)|added (it|this|your \\w+) to (our|the) (feedback|suggestions?|wish|ideas?|feature request) (list|log|board|tracker))\\b",
                   "\\b(share|shared|sharing|pass|passed|passing|send|sent|sending|forward|forwarded|forwarding|raise|raised|raising|flag|flagged|flagging|feed|fed|feeding|submit|submitted|log|logged|escalate|escalated|report|reported|hand|handed|handing|get|got|put) " ~ "(it|this|that|these|those|yours|all (of )?(this|that|these)|(your|the|this|that|these|those)( \\w+){0,3}? " ~ fb_en ~ ")" ~ "( \\w+){0,4}? (internally|up the chain|upstairs|to (the )?higher.?ups)\\b",
                   "\\b(share|shared|sharing|send|sent|sending|pass|passed|passing|raise|raised|raising|flag|flagged|flagging|hand|handed|handing|forward|forwarded|forwarding|report|reported|reporting|mention|mentioned|mentioning|get|getting|put|putting|relay|relayed|relaying) " ~ "(it|this|that|these|those|yours|all (of )?(this|that|these)|(your|the|this|that|these|those)( \\w+){0,3}? " ~ fb_en ~ ")" ~ "( \\w+){0,3}? " ~ "(on to|onto|along to|over to|up to|back to|to|with|in front of) (the |our |my |her |his |their |all |senior |upper |top )*(\\w+ ){0,3}?" ~ recipients_en ~ "\\b",
                   "\\b(put|putting) " ~ "(it|this|that|these|those|yours|all (of )?(this|that|these)|(your|the|this|that|these|those)( \\w+){0,3}? " ~ fb_en ~ ")" ~ " forward\\b|\\bput (it|this|that) (in )?as an? (\\w+ )?(suggestion|feature request|request|idea)\\b|\\bput (in )?a (good )?word (in )?with\\b",
                   "\\b(noted|logged|recorded|registered|submitted|made a note of|made an? (formal )?record of)( (it|this|that|your( \\w+){0,2}? " ~ fb_en ~ "))?( \\w+){0,3}? (as an? (\\w+ )?(suggestion|feature request|request|idea|feedback)|for (the|our) (\\w+ ){0,3}(team|teams|department|developers|devs|roadmap|planners|review)|through (our|the) (\\w+ ){0,2}feedback (channel|system|process|tool))\\b|\\bsubmitted (a|your) (\\w+ )?(feature request|suggestion|idea)\\b",
                   "\\b(fed|feed|feeding) " ~ "(it|this|that|these|those|yours|all (of )?(this|that|these)|(your|the|this|that|these|those)( \\w+){0,3}? " ~ fb_en ~ ")" ~ "( \\w+){0,2}? (back|into|in to)\\b|\\b(is|be|been|being|was|were|get|gets|got) fed back\\b",
                   subject_en ~ "(let|tell|told) (the |our |my |her |his |their )?(\\w+ ){0,3}?" ~ recipients_en ~ "(( \\w+){0,4}? know)?\\b|(^\\W*(@\\w+\\W*)*|[.!?]\\s+)letting (the |our )?(\\w+ ){0,3}?" ~ recipients_en ~ "( \\w+){0,4}? know\\b",
                   "\\b(" ~ fb_en ~ "|this|it|that|these|those)( \\w+){0,5}?(\\s|.)(has|have|had|s|ve|will|is|are|was|were) (now |already |just |also |then )?(been |be |being )?((\\w+ ){1,3}and )?(passed|shared|forwarded|sent|relayed|noted|logged|submitted|raised|flagged|handed|escalated)( \\w+){0,2}? (" ~ "(on to|onto|along to|over to|up to|back to|to|with|in front of) (the |our |my |her |his |their |all |senior |upper |top )*(\\w+ ){0,3}?" ~ recipients_en ~ "\\b" ~ "|internally|up the chain|upstairs)",
                   "\\b(make sure|making sure|ensure) (it|this|that|these|your( \\w+){0,2}? " ~ fb_en ~ ") ((is|are|gets|get) )?(heard|seen|read|brought|passed|shared|goes|go|gets|get|reaches|reach) (by |to |on to |over to )?(the |our |my |her |his |their |all |senior )*(\\w+ ){0,3}?" ~ recipients_en ~ "\\b",
                   "\\b(added|tallied|counted) (your|the) (\\+1|vote|request|name)( \\w+){0,4}? (to|with) (our|the) (\\w+ ){0,2}(request|requests|others|list|tracker|board|suggestions|votes|tally)\\b|\\badded (it|this|that|your( \\w+){0,2}? " ~ fb_en ~ ") to (our|the) ((\\w+ ){0,2}(feedback|suggestions?|ideas?)( \\w+)? (list|log|board|tracker|report|review)|list of (\\w+ )?(suggestions|feedback|ideas|requests))\\b|\\b(go|goes|going) (into|in|to) (our|the) (\\w+ ){0,2}(feedback|suggestions?) (report|log|list|tracker|board)\\b",
                   "(^\\W*(@\\w+\\W*)*|[.!?]\\s+)((noted|logged) (&|and) )?(passed|passing|shared|sharing|flagged|flagging|fed|feeding|sent|sending)( (it|this|that|these))? ?(on|along|back|up|internally|(w/|with|to|over to|on to) (the|our) (\\w+ ){0,2}?" ~ recipients_en ~ ")\\b",
                   "\\b(will|.?ll|happy to) feed (this |that |it )?back\\b",
                   "\\bloop(ed|ing)? in (the |our |my )?(\\w+ ){0,2}?" ~ recipients_en ~ "\\b|\\bloop(ed|ing)? (the |our |my )?(\\w+ ){0,2}?" ~ recipients_en ~ " in\\b",
                   subject_en ~ "have a (quick )?word with (the|our|my)( \\w+){0,3}? " ~ recipients_en ~ "\\b",
                   subject_en ~ "take (it|this|that|these|those|your( \\w+){0,2}? " ~ fb_en ~ ") back to (the|our|my)( \\w+){0,2}? " ~ recipients_en ~ "\\b",
                   "\\b(include|included|including|add|added|adding) (it|this|that|these|those|your( \\w+){0,2}? " ~ fb_en ~ ")( \\w+){0,3}? in (my|our|the) (\\w+ ){0,3}(report|review|summary)\\b|\\b(will be|has been|have been|is|are) included in (my|our|the) (\\w+ ){0,3}(report|review|summary)\\b",
                   "\\b(has|have|had|.?s|.?ve) (now |already |just |also )?been (passed|shared|forwarded|sent|relayed|raised|flagged|put forward|fed back|escalated|mentioned|highlighted) (on |along |back |over |up )?(to|with) (the |our |my |all |senior )*(\\w+ ){0,3}?" ~ recipients_en ~ "\\b",
                   "\\b(gone|went|sent|going|get|got) (off |straight )?to the right (people|team|person|folks)\\b",
                   "\\b(the|our)( \\w+){0,3}? " ~ recipients_en ~ " (will be|have been|has been|are being|.?ll be|will|are going to be) (made aware|hearing about (this|it|your)|told about (this|it))\\b",
                   "\\b(make|making|made) sure (the|our|my)( \\w+){0,4}? " ~ recipients_en ~ "( \\w+){0,3}? (hear|hears|heard|see|sees|saw|get|gets|got|read|reads|know|knows) (about )?(this|it|that|your)\\b",
                   "\\b(added|adding) to (our|the) (\\w+ ){0,2}(feedback|ideas?|suggestions?|wish) (list|log|board|tracker)\\b",
                   "\\b(logged|recorded|noted|captured) (it|this|that|these|those|your( \\w+){0,2}? " ~ fb_en ~ ") (so|for) (that )?(the|our)( \\w+){0,3}? " ~ recipients_en ~ "\\b"],
            'de': [fb_de ~ "\\b[^.!?]{0,80}\\bweiter(geleitet|gegeben|gereicht|getragen|zuleiten|zugeben|zureichen|leiten|geben|reichen|tragen)\\b",
                   "\\b(gebe|geben|leite|leiten|reiche|reichen|trage|tragen) (ich |wir )?(das|es|dies|sie|ihn|diese[sn]?|(dein|deine|deinen|ihr|ihre|ihren|euer|eure|euren|das|den|die|diese[snm]?)( \\w+)? " ~ fb_de ~ ")\\b[^.!?]{0,80}\\bweiter\\b",
                   "\\b(das|es|dies|sie|ihn|" ~ fb_de ~ ") (leite|leiten|gebe|geben|reiche|reichen|trage|tragen) (ich|wir)\\b[^.!?]{0,80}\\bweiter\\b",
                   "\\b(gebe|leite|reiche|trage) (ich|wir)\\b[^.!?]{0,80}\\bweiter\\b",
                   "\\b(richte|richten)\\b[^.!?]{0,40}\\b(lob|grüße|dank|kompliment\\w*|feedback)\\b[^.!?]{0,60}\\baus\\b|\\b(lob|grüße|dank|kompliment\\w*|feedback)\\b[^.!?]{0,60}\\bausgerichtet\\b",
                   "\\b(den|dem|der|unseren?|unserem) (\\w+ ){0,2}(kolleg\\S*|team|\\w*team|\\w*abteilung|entwickler\\w*|\\w*leitung) (\\w+ ){0,4}bescheid\\b",
                   "\\b((an (die|den|das|unsere?n?)|ans) (\\w+ ){0,2}(kolleg\\w*|\\w*abteilung|\\w*team|\\w*-team|entwickler\\w*|\\w*leitung)) (weitergeleitet|weitergegeben|weitergereicht|übermittelt)",
                   "\\b((nehme|nehmen) (ich|wir) (das|es|dein\\w*|ihr\\w*|eure?\\w*|diese[sn]?)( \\w+)? (gerne |gern |so |als \\w+ )?mit)\\b",
                   "\\b(an|ans) (die |den |das |unsere?n? |unser )?(\\S+ ){0,3}?" ~ recipients_de ~ "\\b[^.!?]{0,40}?(\\s)(weiter\\w*|übermittel\\w*|übergeben|gegeben|geben|geb)\\b|(^|\\s)(übermittle|übermitteln|übergebe|übergeben)\\b[^.!?]{0,60}\\ban (die|den|das|unsere?n?|unser)\\b",
                   "\\b(geht|gehen|landet|landen) (\\w+ ){0,2}(an|bei) (die |den |das |dem |der |unsere?[nmr]? |unser )?(\\S+ ){0,3}?" ~ recipients_de ~ "|\\bbei (den |dem |der |unseren? |unserem )?(\\S+ ){0,3}?" ~ recipients_de ~ "( \\S+){0,5}? (gelandet|angekommen)\\b|\\b(die |den |unsere?n? )(\\S+ ){0,2}?" ~ recipients_de ~ " (erreicht|erreichen)\\b",
                   "\\b((ich|wir) (informiere|informieren|melde|melden)|(informiere|informieren|melde|melden) (ich|wir)) (das |dies |es )?(die|den|das|dem|der|unsere?[nmr]?|unser)( \\S+){0,2}? " ~ recipients_de ~ "|" ~ recipients_de ~ "[^.!?]{0,50}\\b(wird|werden) (von uns |von mir )?(darüber |davon )?(informiert|in kenntnis gesetzt)\\b",
                   "\\b(richte|richten|richt)\\b[^.!?]{0,60}\\baus\\b",
                   "\\b((ich|wir) (nehme|nehmen|nehm)|(nehme|nehmen|nehm) (ich|wir))\\b[^.!?]{0,60}\\bmit\\b|\\bals (anregung|hinweis|feedback|idee) mit\\b",
                   "\\b(gebe|geben|geb)\\b[^.!?]{0,40}" ~ recipients_de ~ "[^.!?]{0,30}\\bmit\\b|\\b(gebe|geben|geb)\\b[^.!?]{0,60}\\bin die runde\\b",
                   "\\b((ich|wir) (lege|legen)|(lege|legen) (ich|wir))\\b[^.!?]{0,80}\\b(vor|ans herz)\\b|\\b((ich|wir) (bringe|bringen)|(bringe|bringen) (ich|wir))\\b[^.!?]{0,60}\\b(ein|zur sprache)\\b|\\b((ich|wir) (spreche|sprechen)|(spreche|sprechen) (ich|wir))\\b[^.!?]{0,60}\\ban\\b",
                   "\\b(werde|werden|möchte|möchten|will|wollen)\\b[^.!?]{0,80}\\b(ansprechen|zur sprache bringen|einbringen|vorlegen|ans herz legen|weitergeben|weiterleiten|weiterreichen|mitgeben|ausrichten|übermitteln)\\b",
                   "\\bals (verbesserungsvorschlag|anregung|vorschlag|idee|produktidee|wunsch)\\b[^.!?]{0,40}\\b(aufgenommen|notiert|vermerkt|festgehalten|eingereicht|erfasst|weitergegeben)\\b|\\bfür (die|den|das|unsere?n?)( \\S+){0,2}? " ~ recipients_de ~ "( \\S+){0,2}? (festgehalten|dokumentiert|notiert|vermerkt|aufgenommen|gesammelt)\\b|\\b(ideensammlung|wunschliste|feedback-?liste)\\b",
                   recipients_de ~ " (bekommt|bekommen|erhält|erhalten) (das|es|dies|diese[sn]?|ihn|sie|(dein|deine|deinen|ihr|ihre|ihren|euer|eure|euren|den|die|das)( \\S+){0,3}? " ~ fb_de ~ ")\\b",
                   "(^\\W*(@\\w+\\W*)*|[.!?]\\s+)(ist |wird |hab(e)? ich |haben wir )?((notiert|vermerkt) (und|&) )?(weitergegeben|weitergeleitet|weitergereicht|übermittelt)\\b",
                   fb_de ~ "\\b[^.!?]{0,60}\\b(leite|leiten|gebe|geben|reiche|reichen|trage|tragen) (ich|wir)\\b[^.!?]{0,80}\\bweiter\\b"],
        },
        'feedback_sent_by_customer': {
            'en': ["\\b(you can|you could|feel free to|why not|you.?re welcome to) (also )?(send|share|pass|submit|forward|leave|post|give|raise)( \\w+){0,4}? (to|with) (the|our)\\b"],
            'de': ["\\bbitte (gib|geben sie|gebt|leite|leiten sie|leitet|reich|reichen sie|reicht)\\b"],
        },
        'promises_feedback_case': {
            'en': ["\\b(case (manager|handler|team|specialist)|(they|who|he|she|someone|the team|our team|a (\\w+ )?specialist|an? (\\w+ )?agent)\\s?(will|shall|can|.?ll) (\\w+ )?(follow up|be in touch|get in touch|contact you|reach out|get back|call you|e-?mail you|update you))\\b",
                   "\\b(let|letting|tell|told) (\\w+ ){0,4}know about (the (issue|problem|fault) (with|on) )?your( \\w+)? (account|order|booking|parcel|delivery|item|refund|case|line|bill|payment|card|device|router|connection|reservation|claim|ticket|missing|allergy|needs|assistance|visit|journey|stay|arrival)\\b",
                   "\\bso (that )?(they|he|she|the (\\w+ )?team|someone|we) can (arrange|sort|fix|resolve|look into|process|investigate|contact|call|replace|refund|check|chase|amend|update) (this|it|that|you|your|a|the)\\b",
                   "\\b(your|the) (order|account|booking|refund|parcel|delivery|claim|case|details|bag|reservation|card|payment|policy|appeal|sofa|item|items|replacement|missing \\w+)( \\w+)? (details |number |request )?(to|with|over to|through to) (the|our)\\b|\\bto (fix|sort|repair|resolve|check|chase|process|arrange) (your|the issue|the fault|the problem)\\b|\\b(they|he|she).?(ll|will) (hold|email|e-mail|call|contact|text|message) (it|them|you)\\b|\\byou.?ll hear (back|from)\\b|\\bto (investigate|look into (it|this|your))\\b|\\bknow (that )?you (need|are|were|left|will|have|had|lost|.?re|.?ll)\\b|\\b(they|he|she).?(re| are|.?ll| will)( now)? (resetting|reset|fixing|fix|sorting|sort|checking|check|processing|process|refunding|refund|replacing|replace|arranging|arrange|booking|book|calling|call|contacting|contact|e-?mailing|e-?mail|updating|update) (your|you)\\b"],
            'de': ["\\b((die|der|ein|eine) (\\w+ )?(kolleg\\S*|sachbearbeiter\\S*)|sie|er) (melden|meldet|meldet sich|melden sich|rufen|ruft) (sich )?(\\S+ ){0,5}?(bei dir|bei ihnen|bei euch|zurück|dich an|sie an)\\b",
                   "\\b(dein|deine|deinen|ihr|ihre|ihren|euer|eure|euren) (fall|anliegen|auftrag|vertrag|paket|sendung|\\w*rechnung|erstattung|antrag|kündigung|buchung|bestellung|daten|anfrage|vorgang|rufnummer|nummer|konto|karte|zugang|\\w*reklamation|\\w*abrechnung)\\b|\\bdamit (dein|deine|deinen|ihr|ihre|ihren)\\b|\\b(kümmer\\w*|zurückrufen|zur prüfung|korrigier\\w*)|\\b(die|sie|er) (melden|meldet) sich\\b"],
        },
        'spam': {
            'en': ["\\b(follow me (for|and (i|get|win))|follow ?back|follow for follow|f4f|check out my (new |latest )?(\\w+ )?(video|channel|mixtape|song|track|music|blog|page|shop|store|youtube|soundcloud|profile)|giveaway|win a|click here|free followers|promo code|(check|visit) my (page|profile|channel|stream)|i like your profile|come say hi|make \\$\\d|\\d+% off all|free \\w+ generator|100% working)\\b"],
            'de': ["\\b(gewinnspiel|folgt mir|klickt hier|link in (der )?bio|verdiene \\d+|kostenlos alle|gratis (filme|serien|followers?)|gewinn garantiert|krypto-?signal\\w*|kooperation für dein profil)\\b"],
        },
        'german': {
            'de': ["\\b(ich|nicht|und|der|die|das|ist|bitte|danke|uns|wir|euch|ihr|sie|mein|meine|schon|noch|seit|bei|auf|für|mit|habe|hab|kein|keine|wieder|heute|immer)\\b"],
        },
    }) }}
{%- endmacro %}

{% macro rule_patterns(rule) -%}
    {%- set patterns = [] -%}
    {%- for language, language_patterns in classification_patterns()[rule].items() -%}
        {%- do patterns.extend(language_patterns) -%}
    {%- endfor -%}
    {{ return(patterns) }}
{%- endmacro %}

{% macro rule_alternation(rule) -%}
    '{{ rule_patterns(rule) | join('|') | replace("'", "''") }}'
{%- endmacro %}

{% macro matches_rule(text, rule) -%}
    {%- set patterns = rule_patterns(rule) -%}
    {#- the patterns as alternations of at most 6,000 characters each: past RE2's memory for one
        automaton a long alternation is matched some twenty times slower (0.9 s against 0.04 s
        for the feedback promises over 37,000 posts) -#}
    {%- set chunks = [[]] -%}
    {%- for pattern in patterns -%}
        {%- set length = (chunks[-1] | join('|') | length) + (pattern | length) -%}
        {%- if chunks[-1] and length > 6000 -%}
            {%- do chunks.append([]) -%}
        {%- endif -%}
        {%- do chunks[-1].append(pattern) -%}
    {%- endfor -%}
    coalesce(
    {%- for chunk in chunks -%}
        {{ regexp_contains_ci(text, "'" ~ (chunk | join('|') | replace("'", "''")) ~ "'") }}
        {{- ' or ' if not loop.last -}}
    {%- endfor -%}
    , false)
{%- endmacro %}

{% macro customer_rule_flags(text) -%}
    {{ matches_rule(text, 'spam') }} as rule_spam,
    {{ matches_rule(text, 'closing') }} as rule_closing,
    coalesce({{ regexp_contains(text, question_pattern()) }}, false) as rule_question_mark,
    {{ matches_rule(text, 'question_opening') }} as rule_question_opening,
    {#- a problem merely named ("the issue") is no complaint in a post saying it is resolved; nor
        is the problem named in thanks for fixing it ("thanks for sorting my missing parcel so
        quickly"), unless the thanks say it is not fixed ("thanks for fixing it, not") -#}
    {%- set without_thanks = regexp_replace_all(
        text, rule_alternation('thanked_for_fix'), "' '", case_insensitive=true
    ) -%}
    (
        (
            {{ matches_rule(text, 'complaint') }}
            or ({{ matches_rule(text, 'problem_named') }} and not {{ matches_rule(text, 'resolved') }})
        )
        and (
            not {{ matches_rule(text, 'thanked_for_fix') }}
            or {{ matches_rule(text, 'thanked_for_fix_undone') }}
            or {{ matches_rule(without_thanks, 'complaint') }}
            or (
                {{ matches_rule(without_thanks, 'problem_named') }}
                and not {{ matches_rule(text, 'resolved') }}
            )
        )
    ) as rule_complaint,
    {{ matches_rule(text, 'request') }} as rule_request,
    {{ matches_rule(text, 'praise') }} as rule_praise,
    ({{ matches_rule(text, 'follow_up') }} or {{ matches_rule(text, 'news_after_closing') }})
        as rule_follow_up,
    {{ matches_rule(text, 'contrast') }} and not {{ matches_rule(text, 'contrast_thanks') }}
        as rule_contrast,
    {{ matches_rule(text, 'resolved') }} as rule_resolved,
    {#- the post ends on the fault being gone, after a "but" that turns from the trouble it
        describes ("kept stopping, but after a restart it seems to be working") -#}
    {{ matches_rule(text, 'resolved_at_end') }} as rule_resolved_at_end,
    {{ matches_rule(text, 'greeting') }} as rule_greeting,
    {{ matches_rule(text, 'broadcast') }} as rule_broadcast,
    {#- a question the post answers itself after asking it ("...? never mind, found it") -#}
    {{ matches_rule(text, 'self_answered') }} as rule_self_answered,
    {#- a joke told in a meme's words ("when you...", "me:", "pov:"): to followers, not to a
        care team, so it asks nothing of the brand unless it reports a problem or asks -#}
    (
        {{ matches_rule(text, 'joke_format') }}
        and not {{ matches_rule(text, 'joke_format_asks') }}
        and not coalesce({{ regexp_contains(text, "'^\\W*@\\w'") }}, false)
    ) as rule_joke_format,
    {#- a link shared with followers: addressed to nobody at its start, not about the author -#}
    (
        {{ matches_rule(text, 'shares_link') }}
        and not {{ matches_rule(text, 'first_person') }}
        and not coalesce({{ regexp_contains(text, "'^\\W*@\\w'") }}, false)
    ) as rule_link_share,
    {{ matches_rule(text, 'announcement') }} as rule_announcement,
    {#- a care agent's words ("we'd like to help", "could you share more details with us"):
        the post comes from a brand's account the registry does not list -#}
    {{ matches_rule(text, 'care_voice') }} and not {{ matches_rule(text, 'complaint') }}
        as rule_care_voice,
    {{ matches_rule(text, 'signed_by_agent') }} as rule_signed_by_agent
{%- endmacro %}

{% macro customer_thread_flags(author_id, parent_author_id, parent_is_brand, parent_text, parent_in_reply_to) -%}
    {#- rule_to_other_customer: the post answers a post of another customer, which itself takes
        part in a conversation (a reply, or addressed to someone) and is not a care agent's
        signed post: customers talking among themselves, which a brand need not answer. A parent
        that is a top-level post addressed to nobody, or is signed, is most likely a brand's own
        post from an account the registry does not list. False when the parent is not known. -#}
    coalesce(
        {{ parent_author_id }} <> {{ author_id }}
        and not coalesce({{ parent_is_brand }}, false)
        and ({{ parent_in_reply_to }} is not null or {{ regexp_contains(parent_text, "'^\\W*@\\w'") }})
        and not {{ matches_rule(parent_text, 'signed_by_agent') }}
        and not {{ matches_rule(parent_text, 'announcement') }},
        false
    ) as rule_to_other_customer,
    {#- rule_reply_to_broadcast: the post answers a brand's own top-level post addressed to
        nobody (a promotion, a contest, a question to all followers): joining in, which asks
        nothing of the care team unless the post itself reports a problem or asks -#}
    coalesce(
        {{ parent_is_brand }}
        and {{ parent_in_reply_to }} is null
        and not {{ regexp_contains(parent_text, "'^\\W*@\\w'") }},
        false
    ) as rule_reply_to_broadcast,
    {#- rule_answers_brand_question: the post answers a brand's post that asked the customer for
        a detail (which store, what colour, where, the link): it hands the detail over, even
        when it starts with thanks. Questions such as "anything else?" or "did that help?" ask
        for no detail. -#}
    coalesce(
        {{ parent_is_brand }} and {{ matches_rule(parent_text, 'asks_for_details') }},
        false
    ) as rule_answers_brand_question
{%- endmacro %}

{% macro post_category() -%}
    {#- the main intent: an ask beats a problem, a problem beats thanks; a post to many accounts
        without a problem or an ask, and a follow-up that only hands over details, are other -#}
    case
        when (rule_spam and not rule_question_mark) or rule_announcement or rule_signed_by_agent
            or rule_care_voice
            then 'other'
        when rule_to_other_customer and not (rule_complaint or rule_request) then 'other'
        when rule_broadcast and not (rule_complaint or rule_request) then 'other'
        when rule_reply_to_broadcast and not {{ post_asks_or_reports() }}
            then case when rule_praise then 'praise' else 'other' end
        when rule_closing and not rule_question_mark
            then case when rule_praise then 'praise' else 'other' end
        when rule_question_mark or rule_question_opening
            then case
                when rule_complaint and not rule_question_opening then 'complaint'
                else 'question'
            end
        when rule_complaint then 'complaint'
        when rule_request then 'request'
        when rule_follow_up then 'other'
        when rule_praise and rule_contrast then 'complaint'
        when rule_praise then 'praise'
        else 'other'
    end
{%- endmacro %}

{% macro post_asks_or_reports() -%}
    {#- the post asks something, reports a problem or hands over details -#}
    (rule_question_mark or rule_question_opening or rule_complaint or rule_request or rule_follow_up)
{%- endmacro %}

{% macro post_needs_reply() -%}
    {#- false when a caring brand need not answer: spam that asks nothing, announcements and
        signed posts (a brand's own voice), customers talking among themselves about no problem
        of their own, a post to many accounts without a problem or an ask, joining in a brand's
        promotion without asking or reporting anything, a link shared with followers (no
        handle first, not about the author) that asks and reports nothing, a joke in a meme's
        words or a question the post answers itself, and thanks, praise, a closing or season's
        greetings that ask, report, hand over and contrast nothing -#}
    not (
        (rule_spam and not rule_question_mark) or rule_announcement or rule_signed_by_agent
        or rule_care_voice
        or (rule_to_other_customer and not (rule_complaint or rule_request))
        or (rule_broadcast and not (rule_complaint or rule_request or rule_follow_up))
        or (rule_reply_to_broadcast and not ({{ post_asks_or_reports() }} or rule_contrast))
        or (rule_link_share and not {{ post_asks_or_reports() }})
        or (rule_self_answered and not (rule_complaint or rule_request or rule_contrast))
        or (
            rule_joke_format
            and not (
                rule_question_mark or rule_complaint or rule_request or rule_follow_up
                or rule_contrast
            )
        )
        or (
            rule_resolved
            and not (rule_request or rule_question_opening or rule_question_mark)
            and (rule_resolved_at_end or not (rule_complaint or rule_contrast))
        )
        or (
            (rule_praise or rule_closing or rule_greeting)
            and not (
                rule_question_mark or rule_question_opening or rule_complaint or rule_request
                or rule_follow_up or rule_contrast
                or (rule_answers_brand_question and not (rule_closing or rule_resolved))
            )
        )
    )
{%- endmacro %}

{% macro reply_moves_to_private(text) -%}
    ({{ matches_rule(text, 'moved_to_private') }} and not {{ matches_rule(text, 'moved_to_private_negated') }})
{%- endmacro %}

{% macro reply_promises_feedback(text) -%}
    {#- passing the feedback on, in words the rules know or by the word model of promises,
        unless what is passed on is the customer's own case, handed to someone who will come
        back to the customer, or the customer is the one invited to send it ("you can send your
        idea to our team") -#}
    (
        ({{ matches_rule(text, 'promises_feedback') }} or {{ promise_model_says(text) }})
        and not {{ matches_rule(text, 'promises_feedback_case') }}
        and not {{ matches_rule(text, 'feedback_sent_by_customer') }}
    )
{%- endmacro %}

{% macro promise_model_says(text) -%}
    {#- the word model of feedback promises (macro promise_model, learnt by
        evaluation/promise_model.py) calls the reply a promise: the log-odds its words add up
        to reach the threshold's -#}
    {%- set model = promise_model() -%}
    ({{ model.bias }}e0 + {{ promise_model_score(text, model.weights) }} >= {{ model.threshold_log_odds }}e0)
{%- endmacro %}

{% macro promise_model_score(text, weights) -%}
    {{ return(adapter.dispatch('promise_model_score')(text, weights)) }}
{%- endmacro %}
{#- The words of a reply, as evaluation/promise_model.py reads them (keep them in step): lower
    case, the curly apostrophe as a straight one, @handles and links removed, every run of
    letters with a contraction kept whole; each distinct word adds its weight. -#}
{% macro default__promise_model_score(text, weights) -%}
    coalesce(list_sum(list_transform(
        list_distinct(regexp_extract_all(
            regexp_replace(
                replace(lower({{ text }}), '’', ''''), '@[a-z0-9_]+|https?://[^ \t\n\r]+', ' ', 'g'
            ),
            '[a-zäöüß]+(?:''[a-z]+)?'
        )),
        lambda word: coalesce(map {
            {%- for word, weight in weights.items() %}
            '{{ word | replace("'", "''") }}': {{ weight }}e0{{ ',' if not loop.last }}
            {%- endfor %}
        }[word], 0e0)
    )), 0e0)
{%- endmacro %}
{% macro postgres__promise_model_score(text, weights) -%}
    {#- lower() keeps capitals beyond ASCII in a database of the C locale: Ä, Ö, Ü by hand -#}
    (
        select coalesce(sum(weights.weight), 0e0)
        from (
            select distinct (regexp_matches(
                regexp_replace(
                    replace(translate(lower({{ text }}), 'ÄÖÜ', 'äöü'), '’', ''''),
                    '@[a-z0-9_]+|https?://[^ \t\n\r]+', ' ', 'g'
                ),
                '[a-zäöüß]+(?:''[a-z]+)?', 'g'
            ))[1] as word
        ) as words
        inner join (values
            {%- for word, weight in weights.items() %}
            ('{{ word | replace("'", "''") }}', {{ weight }}e0){{ ',' if not loop.last }}
            {%- endfor %}
        ) as weights (word, weight) on words.word = weights.word
    )
{%- endmacro %}
{% macro spark__promise_model_score(text, weights) -%}
    aggregate(
        transform(
            array_distinct(regexp_extract_all(
                regexp_replace(
                    replace(lower({{ text }}), '’', "'"),
                    {{ spark_pattern("'@[a-z0-9_]+|https?://[^ \\t\\n\\r]+'") }}, ' '
                ),
                {{ spark_pattern("'[a-zäöüß]+(?:''[a-z]+)?'") }}, 0
            )),
            word -> coalesce(try_element_at(map(
                {%- for word, weight in weights.items() %}
                '{{ word | replace("'", "\\'") }}', {{ weight }}D{{ ',' if not loop.last }}
                {%- endfor %}
            ), word), 0D)
        ),
        0D,
        (total, weight) -> total + weight
    )
{%- endmacro %}

{% macro reply_labels(text) -%}
    {#- the columns that say what a brand's reply does, from its text: one definition for every
        model that classifies replies -#}
    {{ reply_moves_to_private(text) }} as moved_to_private,
    {{ reply_promises_feedback(text) }} as promises_feedback,
    {{ reply_agent(text) }} as agent,
    {{ reply_template(text) }} as reply_template
{%- endmacro %}

{% macro reply_agent(text) -%}
    {#- the initials or first name a care agent signs with at the end of the reply, case kept:
        after a marker (^JD, -Ana, - Ana, *KB, /Sam, ~Ben, =JJ, –DP, --JV, *DannyHarvey; ^cr in
        lower case after a caret only; Thanks-Omar), initials right after a link or Japanese
        text ("... https://t.co/x TY", "...ください。ET"), after a sign-off word ("TY - Struan", "Gruß, Lena", "Ty
        Andrew"), or alone after the last sentence ("... today. Phil."); links, a thread counter
        (2/2), punctuation and emoji after it ignored; null when unsigned. A lone capitalised
        word that is a common closing word (Thanks., Cheers!) is not a name. -#}
    {%- set name = "([A-Z][a-z]{2,14}(?:[A-Z][a-z]{0,14})?|[A-Z][A-Za-z]{0,2})" -%}
    {%- set tail = "(?:\\s+https?://\\S+|\\s+\\d{1,2}/\\d{1,2}|\\s*[^\\w\\s]{1,4})*\\s*$" -%}
    {%- set after = "(?:^|[\\s.!?,;:)(=])" -%}
    {%- set marker = "(?:[\\^*/~=]|--?|[–—])" -%}
    {#- Japanese and Chinese text or punctuation (by code point ranges, which every engine reads) -#}
    {%- set cjk = "[　-ヿ一-鿿！-｠]" -%}
    {%- set signoff = "(?:TY|Ty|Thanks|Thank you|Many thanks|Cheers|Regards|Kind regards|Best|Best wishes|Gruß|Grüße|Viele Grüße|Beste Grüße|Liebe Grüße|Freundliche Grüße|LG|VG|MfG)" -%}
    {%- set stop = ["Thanks", "Thank", "Thx", "Cheers", "Enjoy", "Sorry", "Regards", "Best", "Welcome",
        "Yes", "Yep", "Yeah", "Nope", "No", "Ok", "OK", "Okay", "Hi", "Hello", "Hey", "Bye", "Apologies",
        "Congrats", "Congratulations", "Awesome", "Great", "Cool", "Nice", "Perfect", "Excellent",
        "Amazing", "Wonderful", "Fantastic", "Brilliant", "Done", "Sure", "Absolutely", "Agreed",
        "Indeed", "Noted", "Happy", "Safe", "Soon", "Always", "Anytime", "Again", "Please", "Here",
        "There", "Today", "Tomorrow", "Later", "Yay", "Wow", "Oh", "Ah", "Ha", "Haha", "Hmm", "Oops",
        "Danke", "Gerne", "Gern", "Bitte", "Hallo", "Servus", "Ciao", "Toll", "Super", "Klasse",
        "Schade", "Entschuldigung", "Merci", "Prima", "Genau", "Stimmt", "Ja", "Nein", "Tschüss",
        "DM", "PM", "US", "UK", "USA", "TV", "ASAP", "FAQ", "ATM", "LOL", "BTW", "FYI", "App", "PC"] -%}
    {%- set bare = regexp_group(text, "'" ~ "(?:[.!?)。]\\s*|[.!?)]\\s+)" ~ name ~ "\\.?(?:\\s+https?://\\S+|\\s+\\d{1,2}/\\d{1,2})*\\s*$'") -%}
    nullif(coalesce(
        nullif({{ regexp_group(text, "'" ~ after ~ marker ~ "\\s?" ~ name ~ tail ~ "'") }}, ''),
        nullif({{ regexp_group(text, "'" ~ after ~ "\\^([a-z]{2,3})" ~ tail ~ "'") }}, ''),
        nullif({{ regexp_group(text, "'\\b" ~ signoff ~ "[.,]?" ~ marker ~ "\\s?" ~ name ~ tail ~ "'") }}, ''),
        nullif({{ regexp_group(text, "'(?:https?://\\S+\\s+|" ~ cjk ~ "\\s*)([A-Z]{2,3})" ~ tail ~ "'") }}, ''),
        nullif({{ regexp_group(text, "'\\b" ~ signoff ~ "[,.]?\\s+" ~ name ~ "(?:\\s+https?://\\S+|\\s+\\d{1,2}/\\d{1,2})*\\s*\\.?\\s*$'") }}, ''),
        case when {{ bare }} not in ('{{ stop | join("', '") }}') then nullif({{ bare }}, '') end
    ), '')
{%- endmacro %}

{% macro post_lang(text, declared) -%}
    coalesce(
        nullif({{ declared }}, ''),
        case when {{ matches_rule(text, 'german') }} then 'de' else 'en' end
    )
{%- endmacro %}

{% macro reply_template(text) -%}
    {#- the reply reduced to what a template keeps: lower case, without @handles, links, numbers,
        the agent's signature, punctuation and an opening greeting with the name after it ("hi
        anna"), spaces collapsed; two replies that differ only in those are copies of one
        template -#}
    {%- set without_handles = regexp_replace_all(
        'lower(' ~ text ~ ')', "'(@\\w+|https?://\\S+|[\\^*/~–—-]\\s?\\w{1,15}\\s*$)'", "' '"
    ) -%}
    {%- set letters_only = regexp_replace_all(without_handles, "'[^[:alpha:]]+'", "' '") -%}
    {#- the greeting is anchored at the start: replacing all its matches replaces the one -#}
    {{ regexp_replace_all(
        'trim(' ~ regexp_replace_all(letters_only, "'\\s+'", "' '") ~ ')',
        "'^(hi|hello|hey|dear|hallo|moin|servus) [[:alpha:]]+ '",
        "''",
    ) }}
{%- endmacro %}

{% macro template_block(template) -%}
    {#- the first two words of a template: near-duplicates are looked for only among replies
        that open alike, so that a brand's day of replies is not compared pair by pair -#}
    (split_part({{ template }}, ' ', 1) || ' ' || split_part({{ template }}, ' ', 2))
{%- endmacro %}

{% macro templates_alike(template, other) -%}
    {{ return(adapter.dispatch('templates_alike')(template, other)) }}
{%- endmacro %}

{% macro default__templates_alike(template, other) -%}
    {#- near-duplicates: equal, or an edit distance (DuckDB's levenshtein) of at most
        1 - var automation_min_similarity of the longer one's length; the cheap tests first -#}
    {%- set longer = "greatest(length(" ~ template ~ "), length(" ~ other ~ "))" -%}
    {%- set slack = "(1 - " ~ var('automation_min_similarity') ~ ") * " ~ longer -%}
    case
        when {{ template }} = {{ other }} then true
        when abs(length({{ template }}) - length({{ other }})) > {{ slack }} then false
        else levenshtein({{ template }}, {{ other }}) <= {{ slack }}
    end
{%- endmacro %}

{% macro postgres__templates_alike(template, other) -%}
    {#- core PostgreSQL has no edit distance (it is in the fuzzystrmatch extension, which a
        server need not have): copies must be equal there -#}
    ({{ template }} = {{ other }})
{%- endmacro %}
