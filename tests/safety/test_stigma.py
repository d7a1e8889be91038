import itertools
import re
import tomllib
import unicodedata

import pytest

from app.safety.stigma import LEXICON_PATH, LEXICON_VERSION, StigmaMatch, find_stigma
from app.safety.stigma import detect as stigma_detect
from app.safety.stigma import lexicon as stigma_lexicon

# (text, the rule expected among the matches)
POSITIVE = [
    # insults built on mental illness
    ("My neighbour is a total psycho.", "psycho"),
    ("That guy is a complete psycho, stay away from him.", "psycho"),
    ("Stop being such a psycho about the dishes.", "psycho"),
    ("You're acting like a psycho.", "psycho"),
    ("Those people are psychos.", "psycho"),
    ("Only psychos do that.", "psycho"),
    ("PSYCHO!!! get away from me", "psycho"),
    ("That Psycho on the bus was screaming.", "psycho"),
    ("Honestly, I think he's a psycho.", "psycho"),
    ("My boss is a total psychopath.", "psychopath"),
    ("My coworker is a sociopath.", "psychopath"),
    ("He's such a schizo, one minute happy and the next furious.", "schizo"),
    ("That's so schizo.", "schizo"),
    ("That's so schizo, dude.", "schizo"),
    ("Are you schizo or what?", "schizo"),
    ("What a sch1zo.", "schizo"),
    ("My ex is a nutjob.", "nutjob"),
    ("Some nut job keyed my car.", "nutjob"),
    ("What a nutter.", "nutjob"),
    ("The guy next door is a real nutcase.", "nutjob"),
    ("He's a real whack job.", "nutjob"),
    ("Only a lunatic would drive like that.", "lunatic"),
    ("The lunatics are running the asylum.", "lunatic"),
    ("I'd call him a lunatic.", "lunatic"),
    ("My boss is a loony.", "loony"),
    ("Those loonies down the road are at it again.", "loony"),
    ("He's a mental case.", "mental-case"),
    ("She's an absolute basket case.", "mental-case"),
    ("He's a psych case.", "mental-case"),
    ("There was a crazy person yelling on the bus.", "crazy-person"),
    ("Keep the crazies away from my kids.", "crazy-person"),
    ("My crazy ex keeps texting me.", "crazy-person"),
    ("Crazy people like her shouldn't be allowed out.", "crazy-person"),
    ("Some maniac ran a red light and nearly killed us.", "maniac"),
    ("He's a homicidal maniac.", "maniac"),
    ("He's sick in the head.", "ridicule-idiom"),
    ("She's gone off her rocker.", "ridicule-idiom"),
    ("He's got a screw loose.", "ridicule-idiom"),
    # slurs, including masked spellings
    ("Don't be such a retard.", "slur-retard"),
    ("That idea is retarded.", "slur-retard"),
    ("lol what a r3tard", "slur-retard"),
    ("you absolute r*tard", "slur-retard"),
    ("What a bunch of retards.", "slur-retard"),
    ("Is he retarded or something?", "slur-retard"),
    ("That's so retarded lol", "slur-retard"),
    ("Stop being a spaz.", "slur-disability"),
    # substance use
    ("There's a junkie sleeping in the doorway.", "junkie"),
    ("Junkies like him never pay anyone back.", "junkie"),
    ("The junkie's needles were everywhere.", "junkie"),
    ("My junkie brother stole from me again.", "junkie"),
    ("My cousin is a crackhead.", "crackhead"),
    ("Crackheads everywhere downtown.", "crackhead"),
    ("I think my neighbour is a crackhead.", "crackhead"),
    ("The park is full of druggies at night.", "druggie"),
    ("Her dad was the town alkie.", "alkie"),
    ("A couple of winos were sitting on the bench.", "alkie"),
    ("He's a dirty addict.", "addict-insult"),
    ("He's just a drunk.", "addict-insult"),
    # attention seeking
    ("She's just an attention seeker.", "attention-seeking"),
    ("Self-harm posts are just attention-seeking.", "attention-seeking"),
    ("He's only doing it for attention.", "attention-seeking"),
    ("She's clearly attention-seeking again.", "attention-seeking"),
    # suicide wording
    ("My uncle committed suicide in 2010.", "committed-suicide"),
    ("The singer committed suicide last year.", "committed-suicide"),
    ("Her suicide attempt was unsuccessful.", "suicide-outcome"),
    ("He made a failed suicide attempt in college.", "suicide-outcome"),
    ("Sadly it was a successful suicide.", "suicide-outcome"),
    ("His failed suicide attempt left him paralysed.", "suicide-outcome"),
    ("Suicide is selfish.", "suicide-judgement"),
    ("Suicide is the coward's way out.", "suicide-judgement"),
    # group nouns and generalisations
    ("We need more money to deal with the mentally ill.", "group-noun"),
    ("Funding for the insane should be cut.", "group-noun"),
    ("The mentally ill belong in institutions.", "group-noun"),
    ("We need to protect society from the insane.", "group-noun"),
    ("The mentally ill are dangerous.", "generalisation"),
    ("Mentally ill people are violent.", "generalisation"),
    ("Schizophrenics are dangerous.", "generalisation"),
    ("Schizophrenic people are scary.", "generalisation"),
    ("People with bipolar disorder are all crazy.", "generalisation"),
    ("Addicts are lazy.", "generalisation"),
    ("Addicts always lie.", "generalisation"),
    ("Drug addicts are scum.", "generalisation"),
    ("Depressed people are just lazy.", "generalisation"),
    ("People with depression are just weak.", "generalisation"),
    ("Everyone with depression is lazy.", "generalisation"),
    ("Alcoholics can't be trusted.", "generalisation"),
    ("People with BPD are manipulative.", "generalisation"),
    ("Those psychos should be locked up.", "generalisation"),
    ("The insane should be locked away.", "generalisation"),
    ("The mentally ill should be kept away from children.", "generalisation"),
    ("Crazy people shouldn't have kids.", "generalisation"),
    ("Bipolars shouldn't be allowed to have kids.", "generalisation"),
    ("Mentally ill people shouldn't be allowed to have guns.", "generalisation"),
    # a diagnosis as a noun for a person
    ("She is a schizophrenic.", "label-schizophrenia"),
    ("A schizophrenic man attacked someone downtown.", "label-schizophrenia"),
    ("He's a schizophrenic, so he's dangerous.", "label-schizophrenia"),
    ("The schizophrenic on my street yells at cars.", "label-schizophrenia"),
    ("My aunt is a bipolar and refuses help.", "label-bipolar"),
    ("My roommate is a bipolar.", "label-bipolar"),
    ("That girl is an anorexic.", "label-eating-disorder"),
    ("The ward was full of anorexics.", "label-eating-disorder"),
    ("Anorexics just want attention.", "label-eating-disorder"),
    ("He is a psychotic.", "label-other-diagnosis"),
    ("My neighbour is a manic depressive.", "label-other-diagnosis"),
    ("A psychotic killer was on the news.", "label-other-diagnosis"),
    ("She is a borderline, she will manipulate you.", "label-other-diagnosis"),
    # trivialising
    ("I'm so OCD about my desk.", "trivialising-ocd"),
    ("She's a little OCD when it comes to cleaning.", "trivialising-ocd"),
    ("My sister is so OCD, she color-codes her closet.", "trivialising-ocd"),
    ("I'm OCD about my spice rack.", "trivialising-ocd"),
    ("OCD much?", "trivialising-ocd"),
    ("I'm so bipolar today lol.", "trivialising-bipolar"),
    ("Ugh, I'm so bipolar today, happy one minute and crying the next.", "trivialising-bipolar"),
    ("The weather is so bipolar this week.", "trivialising-bipolar"),
    ("This bipolar weather is killing me.", "trivialising-bipolar"),
    ("Stop acting so bipolar.", "trivialising-bipolar"),
    ("The plot of that film is totally schizophrenic.", "trivialising-schizophrenia"),
    ("Sorry, I'm being so ADD today.", "trivialising-adhd"),
    ("She went psycho when I forgot her birthday.", "went-psycho"),
    ("He totally went psycho at the referee.", "went-psycho"),
    # medication as a punchline
    ("Someone must be off their meds.", "off-meds"),
    ("Are you off your meds or something?", "off-meds"),
    ("Sounds like someone forgot to take their meds.", "off-meds"),
    ("Did he forget to take his meds or what?", "off-meds"),
    ("She's acting like she's off her meds.", "off-meds"),
    ("He must have forgotten his meds today.", "off-meds"),
    ("Off your meds again?", "off-meds"),
    # psychiatric hospitals mocked
    ("He belongs in an insane asylum.", "asylum"),
    ("This office is a madhouse.", "asylum"),
    ("They should send him to the nuthouse.", "asylum"),
    ("She ended up in the loony bin.", "asylum"),
    ("He needs to be locked up in a nuthouse.", "asylum"),
    ("The insane asylum on the hill is abandoned now.", "asylum"),
    ("Those people belong in a psych ward.", "lock-away"),
    ("Someone get that guy a straitjacket.", "lock-away"),
    # denying the illness
    ("Depression is just laziness.", "invalidation"),
    ("Addiction is a choice.", "invalidation"),
    ("Anxiety isn't a real illness.", "invalidation"),
    ("Just snap out of it.", "invalidation"),
    ("It's all in your head, just cheer up.", "invalidation"),
    ("Depression is just sadness.", "invalidation"),
    ("ADHD is just bad parenting.", "invalidation"),
    ("ADHD isn't real, kids just need discipline.", "invalidation"),
    ("Killing yourself is selfish.", "suicide-judgement"),
    ("Only cowards kill themselves.", "suicide-judgement"),
    ("Mentally ill people tend to be violent.", "generalisation"),
    ("Every addict is a liar.", "generalisation"),
    ("She's doing it for attention.", "attention-seeking"),
    ("Cutting yourself is just attention seeking.", "attention-seeking"),
    ("He's off his meds again, obviously.", "off-meds"),
    ("Someone didn't take their meds today.", "off-meds"),
    ("He commited suicide in his dorm.", "committed-suicide"),
    ("The weather's so bipolar.", "trivialising-bipolar"),
    # --- lexicon 2026-11-21.2 -------------------------------------------------------------
    # "mental", "psychotic", "manic" about another person or a reaction
    ("Honestly my brother is mental, he drove through a red light.", "mental-insult"),
    ("Our neighbour's properly mental, she screams at the bins.", "mental-insult"),
    ("My stepdad goes mental over the smallest things.", "mental-insult"),
    ("Are you mental? You left the oven on all night.", "mental-insult"),
    ("The bloke next door is absolutely mental.", "mental-insult"),
    ("Your dad is totally mental lol", "mental-insult"),
    ("Some mental on the train kept staring at me.", "mental-insult"),
    ("My landlord is certifiable.", "mental-insult"),
    ("Nan's gone a bit doolally lately.", "mental-insult"),
    ("Our manager goes psychotic whenever the printer jams.", "trivialising-mania"),
    ("My sister's a bit manic today, four energy drinks before lunch.", "trivialising-mania"),
    ("The ref went proper psychotic at our captain.", "trivialising-mania"),
    # pejorative words and idioms for people
    ("My ex is completely unhinged, she keyed my car.", "deranged"),
    ("A deranged man was shouting at kids in the park.", "deranged"),
    ("What an absolute nutcase.", "nutjob"),
    ("Those nutters at the bus stop again.", "nutjob"),
    ("He's a total headcase.", "mental-case"),
    ("He's got crazy eyes, don't trust him.", "crazy-person"),
    ("Don't let the psych ward lot near the kids.", "group-noun"),
    ("Some mental patient escaped from the hospital.", "mental-patient"),
    ("After the crash he's basically a vegetable.", "vegetable"),
    ("My cousin's a cutter, everyone at school knows.", "cutter"),
    ("My flatmate is so schizoid lately.", "trivialising-schizophrenia"),
    ("Your boyfriend is Looney Tunes.", "looney-tunes"),
    ("That guy's not all there.", "ridicule-idiom"),
    ("She's a few sandwiches short of a picnic.", "ridicule-idiom"),
    ("Lol what a sperg.", "slur-disability"),
    # diagnoses used for everyday annoyances
    ("The driving test gave me actual PTSD haha.", "trivialising-ptsd"),
    ("Honestly I'm literally PTSD from that staff meeting.", "trivialising-ptsd"),
    ("I have PTSD from flat-pack furniture.", "trivialising-ptsd"),
    ("The season finale gave me PTSD.", "trivialising-ptsd"),
    ("Ugh, being so anorexic today, only had a coffee.", "trivialising-eating-disorder"),
    ("You're so anorexic, eat a burger.", "trivialising-eating-disorder"),
    ("Lining up your pens like that is so autistic lol", "autistic-insult"),
    ("Are you autistic or something?", "autistic-insult"),
    ("Stop being so autistic about the seating plan.", "autistic-insult"),
    ("Triggered much?", "triggered-mockery"),
    ("Lol someone's triggered.", "triggered-mockery"),
    ("Everyone's a bit autistic these days.", "dismissal"),
    # inflections of existing entries
    ("There were two successful suicides at that bridge.", "suicide-outcome"),
    ("He's been talking about committing suicide.", "committed-suicide"),
    ("In the film a man commits suicide.", "committed-suicide"),
    ("She comitted suicide in 2015.", "committed-suicide"),
    ("He succeeded in killing himself.", "suicide-outcome"),
    ("The junkies' tents were cleared.", "junkie"),
    ("Psychos like him should be avoided.", "psycho"),
    ("Those crackheads stole my bike.", "crackhead"),
    ("My boss is sociopathic.", "psychopath"),
    ("He belonged in a psych ward.", "lock-away"),
    ("Maniacs on motorbikes everywhere.", "maniac"),
    ("The mentally-ill are dangerous.", "generalisation"),
    ("Addicts are always lying.", "generalisation"),
    # dismissals and stereotypes without a slur
    ("Anxiety is for people with too much free time.", "invalidation"),
    ("Stress leave is just an excuse to sit at home.", "invalidation"),
    ("Therapy is for the weak.", "invalidation"),
    ("Antidepressants are just happy pills.", "invalidation"),
    ("ADHD doesn't exist.", "invalidation"),
    ("Depressed people just need to get out more.", "generalisation"),
    ("Anyone who's been in a mental hospital, they're a liability.", "generalisation"),
    ("People on antidepressants are unreliable.", "generalisation"),
    ("Addicts deserve to die.", "generalisation"),
    ("Did your mum forget her happy pills again?", "happy-pills"),
    ("It's just a bit of stress, stop making such a fuss.", "dismissal"),
    ("You don't look depressed to me.", "dismissal"),
    ("Pull yourself together, it's only stress.", "dismissal"),
    ("Just think positive and it'll go away.", "dismissal"),
    ("Never trust an addict.", "exclusion"),
    ("You're not depressed, you're just lazy.", "dismissal"),
    ("Alcoholics should just stop drinking.", "generalisation"),
    ("Addiction is a lifestyle choice.", "invalidation"),
    ("She's lowkey autistic about her routine lol", "autistic-insult"),
    # --- lexicon 2026-11-21.4: structures that used to be missed ---------------------------
    # intensifiers between the copula and the insult, any person subject
    ("the new lodger is completely unhinged", "deranged"),
    ("that politician is clearly deranged", "deranged"),
    ("my boss seems genuinely unhinged", "deranged"),
    ("the neighbour is utterly unhinged lol", "deranged"),
    ("my whole family is certifiable", "mental-insult"),
    ("she's crazy, like actually mental", "mental-insult"),
    ("the bloke upstairs is totally mental", "mental-insult"),
    ("you're being proper mental", "mental-insult"),
    ("that guy is honestly certifiable", "mental-insult"),
    ("you're acting proper psychotic tonight", "trivialising-mania"),
    ("my ex is fucking psychotic tonight", "trivialising-mania"),
    # a trailing fragment names the person just described, joke marker or not
    ("lol the guy at the bus stop was yelling at pigeons again, proper nutter", "nutjob"),
    ("my neighbour was screaming at the bins, total psycho", "psycho"),
    ("he kept shouting at the telly, what a nutter", "nutjob"),
    ("the woman on the train was muttering to herself, absolute loony", "loony"),
    # group stereotypes with a wider subject and predicate set
    ("people with anorexia are just vain", "group-stereotype"),
    ("people who hear voices are possessed, they need prayer not pills", "group-stereotype"),
    ("people who self harm are just doing it for likes", "group-stereotype"),
    ("anyone who's been psychotic is a ticking time bomb, don't rent to them", "group-stereotype"),
    ("bipolar people shouldn't be having children", "group-stereotype"),
    ("people on antidepressants are just numbing themselves, it's cheating", "group-stereotype"),
    ("ppl with bpd are all attention seekers", "generalisation"),
    ("folks on methadone are just scroungers", "generalisation"),
    ("addiction isn't a disease, it's a choice", "group-stereotype"),
    ("alcoholism isn't a real illness, it's a bad habit", "group-stereotype"),
    ("homeless addicts will only spend it on smack", "group-stereotype"),
    ("don't give him cash, he'll just spend it on booze", "group-stereotype"),
    ("once a junkie always a junkie", "generalisation"),
    (
        "Of course it turns out he was off his meds. People with schizophrenia should be "
        "monitored, full stop.",
        "group-stereotype",
    ),
    ("autistic kids can't be trusted with pets", "group-stereotype"),
    ("people who take lithium are basically time bombs", "group-stereotype"),
    ("those with ptsd are a liability at work", "group-stereotype"),
    # addiction labels
    ("he's a hopeless drunk", "addiction-label"),
    ("she's a lost cause, she'll never get clean", "addiction-label"),
    ("he's a drunk", "addiction-label"),
    ("my uncle is a raging drunk and everyone knows it", "addiction-label"),
    ("what a sad old drunk", "addiction-label"),
    # dismissing leave for mental health
    ("she takes 'stress leave' every month, she's just bludging", "leave-dismissal"),
    ("mental health days are a scam", "leave-dismissal"),
    ("he's on stress leave again, total skiving", "leave-dismissal"),
    ("sick notes for anxiety are a racket", "leave-dismissal"),
    ("stress leave my arse, he's swinging the lead", "leave-dismissal"),
    # slurs are slurs about the writer too
    ("I was a junkie for ten years.", "junkie"),
    ("As a recovering crackhead, I know how hard it is.", "crackhead"),
    ("Back then I was such a junkie, I'd sell anything.", "junkie"),
    ("I'm a total psycho when I'm hungry.", "psycho"),
    ("I was a proper smackhead in my twenties.", "junkie"),
    ("I'm such a retard sometimes.", "slur-retard"),
    ("I acted like a nutjob at the party.", "nutjob"),
    ("I'm a bit schizo today.", "schizo"),
    ("We were all junkies in that squat.", "junkie"),
    # capitals are not a title by themselves
    ("My Ex Is A Total Psycho", "psycho"),
    ("He's a total *psycho*.", "psycho"),
    ("Stupid Maniac nearly ran me over.", "maniac"),
    ("Honestly, Dave's a Psycho.", "psycho"),
    ("Some Nutjob keyed my car.", "nutjob"),
    ("Absolute Lunatic on the motorway today.", "lunatic"),
    ("Honestly That Maniac should lose his licence.", "maniac"),
    ("She's such a PSYCHO.", "psycho"),
    ("Watch out for Crazy People like him.", "crazy-person"),
    # --- lexicon 2026-11-21.3: the labelling policy, one block per policy line ----------
    # slurs and insulting labels, about another person or the writer
    ("ugh my ex is such a psycho lol.", "psycho"),
    ("that schizo on the tram was yelling at everyone.", "schizo"),
    ("some nutter tried to start on me at the bus stop.", "nutjob"),
    ("ur a loony mate.", "loony"),
    ("absolute lunatic cut me up on the M25 this morning.", "lunatic"),
    ("my neighbour is a proper nutcase.", "nutjob"),
    ("total nut job, stay away from him.", "nutjob"),
    ("he's a headcase tbh.", "mental-case"),
    ("the new guy at work is a mental case.", "mental-case"),
    ("my sister turns into a basket case before exams.", "mental-case"),
    ("there was a junkie passed out on the steps again.", "junkie"),
    ("my cousin married a crackhead smh.", "crackhead"),
    ("dont waste ur time on druggies.", "druggie"),
    ("some methhead stole my bike.", "junkie"),
    ("her dad's a useless alkie.", "alkie"),
    ("stop acting retarded.", "slur-retard"),
    ("watch out for the crazies downtown.", "crazy-person"),
    ("my boss is a sociopath honestly.", "psychopath"),
    ("my ex is a psychopath, she went thru all my texts.", "psychopath"),
    ("tu pagal hai kya.", "pagal"),
    ("that fellow is full pagal yaar.", "pagal"),
    ("ppl in my building are all psychos.", "psycho"),
    ("he's such a physco.", "psycho"),
    ("the junky on the corner was shouting at cars.", "junkie"),
    ("my uncle is an old pisshead.", "alkie"),
    ("what a psycopath.", "psychopath"),
    ("that psycho bitch keyed my car.", "psycho"),
    ("what a tweaker.", "junkie"),
    # mental, psychotic, unhinged, deranged, certifiable, off his rocker
    ("ur mental mate.", "mental-insult"),
    ("my boss is actually mental, he screamed at an intern.", "mental-insult"),
    ("that woman at the school gate is mental.", "mental-insult"),
    ("that fellow is totally mental only.", "mental-insult"),
    ("some mental bloke started on me outside the chippy.", "mental-insult"),
    ("my ex is psychotic, she keyed my car.", "psychotic-insult"),
    ("the guy upstairs is completely psychotic.", "psychotic-insult"),
    ("stay away from him hes psychotic.", "psychotic-insult"),
    ("why are you being so psychotic about the dishes?", "psychotic-insult"),
    ("my psychotic ex turned up at my work.", "label-other-diagnosis"),
    ("my landlord is totally unhinged.", "deranged"),
    ("some deranged bloke was following me home.", "deranged"),
    ("ur sister is unhinged lol.", "deranged"),
    ("my sister in law is unhinged.", "deranged"),
    ("she's absolutely certifiable.", "mental-insult"),
    ("ur dad is off his rocker.", "ridicule-idiom"),
    ("my nan's gone completely round the bend.", "ridicule-idiom"),
    ("he is off his nut that one.", "ridicule-idiom"),
    ("she's cuckoo.", "mental-insult"),
    ("my uncle is mad as a hatter.", "ridicule-idiom"),
    # a diagnosis as a noun for people
    ("my flatmate is a schizophrenic and it scares me.", "label-schizophrenia"),
    ("the mentally ill need to be kept off the streets.", "group-noun"),
    ("she's an anorexic, obviously.", "label-eating-disorder"),
    ("his mum is a bipolar so watch what u say.", "label-bipolar"),
    ("a bipolar shouldn't be in charge of anything.", "label-bipolar"),
    ("my grandad was a manic depressive.", "label-other-diagnosis"),
    ("depressives are exhausting to be around.", "label-other-diagnosis"),
    ("she's a bulimic, everyone at school knows.", "label-eating-disorder"),
    ("they used to keep mental patients in that building.", "mental-patient"),
    ("the depressed need to try harder.", "group-noun"),
    ("two anorexics in my class.", "label-eating-disorder"),
    # committed suicide, successful suicide, failed attempts
    ("my cousin commited suicide last year.", "committed-suicide"),
    ("so many vets commit suicide every year.", "committed-suicide"),
    ("the guy who committed sucide on the tracks.", "committed-suicide"),
    ("after 3 failed attempts he finally killed himself.", "suicide-outcome"),
    ("her suicide was successful.", "suicide-outcome"),
    ("a successful suicide attempt is rare.", "suicide-outcome"),
    ("he tried and failed to kill himself.", "suicide-outcome"),
    ("his overdose attempt was unsuccessful thank god.", "suicide-outcome"),
    ("she made two unsuccessful attempts on her life.", "suicide-outcome"),
    ("his suicide attempt failed.", "suicide-outcome"),
    ("they say he commited suicide.", "committed-suicide"),  # the writer's own wording
    # trivialising a diagnosis
    ("i'm sooo OCD about my desk lol.", "trivialising-ocd"),
    ("my mum is so ocd with the remote.", "trivialising-ocd"),
    ("the crooked frame is triggering my OCD lol.", "trivialising-ocd"),
    ("melbourne weather is bipolar af.", "trivialising-bipolar"),
    ("my gf is being so bipolar rn.", "trivialising-bipolar"),
    ("he's being bipolar again, nice one minute and screaming the next.", "trivialising-bipolar"),
    ("the weather in london is schizophrenic.", "trivialising-schizophrenia"),
    ("that exam gave me PTSD.", "trivialising-ptsd"),
    ("monday meetings give me ptsd lol.", "trivialising-ptsd"),
    ("my mums cooking gave me ptsd.", "trivialising-ptsd"),
    ("being so anorexic today, just had a coffee.", "trivialising-eating-disorder"),
    ("i'm so ADHD today, cant focus on anything.", "trivialising-adhd"),
    ("sorry having a schizo moment.", "schizo"),
    ("had a total bipolar moment at the shops lol.", "trivialising-moment"),
    ("nearly had a panic attack when they ran out of oat milk.", "trivialising-panic"),
    ("literally had a panic attack over my nails chipping lol.", "trivialising-panic"),
    ("nearly had a panic attack when they discontinued my lipstick lol.", "trivialising-panic"),
    ("that finale gave me clinical depression.", "trivialising-depression"),
    ("this playlist is giving me depression lol.", "trivialising-depression"),
    ("netflix cancelling my show gave me depression.", "trivialising-depression"),
    # stereotypes and dismissals without a slur
    ("depression is just an excuse to be lazy tbh.", "invalidation"),
    ("its not depression its laziness.", "invalidation"),
    ("depression = laziness.", "invalidation"),
    ("bulimia is a rich girl problem.", "invalidation"),
    ("ppl with depression are just lazy.", "generalisation"),
    ("she uses her depression as an excuse to skip work.", "invalidation"),
    ("are you actually depressed or just lazy?", "dismissal"),
    ("addiction is a choice, full stop.", "invalidation"),
    ("addicts chose this life.", "generalisation"),
    ("being depressed is a choice.", "invalidation"),
    ("anxiety is for the weak.", "invalidation"),
    ("only weak people get depressed.", "weak-minds"),
    ("only the weak get depressed.", "weak-minds"),
    ("mentally ill ppl are violent.", "generalisation"),
    ("all these school shooters are mentally ill.", "violence-link"),
    ("mental illness is behind every mass shooting.", "violence-link"),
    ("he's bipolar so he could snap any minute.", "diagnosis-blame"),
    ("suicide is the most selfish thing you can do.", "suicide-judgement"),
    ("its selfish to kill yourself when you have kids.", "suicide-judgement"),
    ("he took the easy way out when he killed himself.", "suicide-judgement"),
    ("his mate killed himself, what a selfish thing to do.", "suicide-judgement"),
    ("people who kill themselves are cowards.", "generalisation"),
    ("she only cuts herself for attention.", "attention-seeking"),
    ("self harm is just attention seeking.", "invalidation"),
    ("adhd isnt real lol.", "invalidation"),
    ("depression aint real.", "invalidation"),
    ("depression doesnt exist.", "invalidation"),
    ("he's faking his depression to get out of work.", "invalidation"),
    ("just go outside and touch grass, depression solved.", "dismissal"),
    ("a walk will cure your depression.", "dismissal"),
    ("adhd was made up by big pharma.", "invalidation"),
    ("depression is a big pharma scam.", "invalidation"),
    ("it's all made up by pharma to sell pills.", "pharma-myth"),
    ("ur too pretty to be depressed.", "dismissal"),
    ("you're way too young to have anxiety.", "dismissal"),
    ("what do you have to be depressed about?", "dismissal"),
    ("real men don't need therapy.", "dismissal"),
    ("real men dont cry they deal with it.", "dismissal"),
    ("men don't get eating disorders.", "dismissal"),
    ("never trust anyone who's been in a psych ward.", "exclusion"),
    ("I'd never hire someone who's been sectioned.", "exclusion"),
    ("you can't trust him, he's been in a psych ward.", "ex-patient-distrust"),
    ("ex mental patients shouldn't work with kids.", "mental-patient"),
    ("people with bipolar shouldnt have children.", "generalisation"),
    ("schizophrenics shouldn't breed.", "generalisation"),
    ("she's bipolar, she should never have had kids.", "diagnosis-blame"),
    ("once an addict always an addict, they never change.", "generalisation"),
    # a diagnosis blamed for character ("is bipolar" with a stereotype)
    ("she's bipolar, that's why she's such a nightmare.", "diagnosis-blame"),
    ("no wonder she's so crazy, she's bipolar.", "diagnosis-blame-after"),
    ("his ex is bpd, that's why she's so manipulative.", "diagnosis-blame"),
    ("my boss is bipolar, explains why he's so unpredictable.", "diagnosis-blame"),
    ("he's schizophrenic so obviously he's dangerous.", "diagnosis-blame"),
    ("she's a nightmare because she's bipolar.", "diagnosis-blame-after"),
    ("people like that shouldn't have kids, she's bipolar.", "diagnosis-blame-after"),
    ("he's got schizophrenia so he's dangerous.", "diagnosis-blame"),
    # institution slurs
    ("this job is driving me to the nuthouse.", "asylum"),
    ("they should ship her off to the loony bin.", "asylum"),
    ("he ended up in the funny farm lol.", "asylum"),
    ("did they let you out of the asylum?", "asylum"),
    ("looks like someone escaped from the asylum.", "asylum"),
    ("you should be locked up in a mental hospital.", "lock-away"),
    ("they should lock her up in a mental institution.", "lock-away"),
    ("the men in white coats are coming for you.", "lock-away"),
    ("ffs this place is a nut house.", "asylum"),
    ("send him to the pagal khana.", "asylum"),
    ("send him to ranchi lol.", "asylum"),
    # slurs inside a self-identifying post (druggie and alkie now too)
    ("I'm an alcoholic too but not a filthy junkie.", "junkie"),
    # changed in 2026-11-21.3: these two were negatives while druggie and alkie had a
    # self-description exemption; the labelling policy flags them like junkie.
    ("I used to be a total alkie.", "alkie"),
    ("I'm a former druggie and proud of it.", "druggie"),
    ("at least i'm not a crackhead.", "crackhead"),
    ("im an addict but not a junkie.", "junkie"),
    ("I'm in recovery but back then I was a proper druggie.", "druggie"),
    ("i was an alkie for 20 yrs.", "alkie"),
    # 2026-11-21.5: general frames rather than phrasings
    ("they're not ill, they're just work-shy", "not-ill-just-flawed"),
    ("they aren't really ill, just selfish", "not-ill-just-flawed"),
    ("you can't be anxious, you're so confident", "ruled-out-by-appearance"),
    ("he cant be depressed he has a great job", "ruled-out-by-appearance"),
    ("i feel so dyslexic when i misread menus lol", "trivialising-feel-diagnosis"),
    ("felt a bit adhd about my keys today haha", "trivialising-feel-diagnosis"),
    ("that landlord is batshit crazy", "illness-insult"),
    ("her brother is a raging alcoholic", "illness-insult"),
    ("the unit was full of headbangers last night", "ward-insult"),
    ("people on benefits for anxiety are just moody", "group-stereotype"),
    ("people who cut themselves just want attention", "group-stereotype"),
    ("adhd people are just moody and use it as an excuse", "group-stereotype"),
    ("addicts need a slap not a hug", "group-stereotype"),
    ("ocd is just vanity gone too far", "invalidation"),
    ("anxiety is just something teenagers say to skip school", "invalidation"),
    ("only posh kids get eating disorders", "invalidation"),
    ("i wouldn't hire anyone who'd been in a psych ward", "exclusion"),
    ("alcoholics are moody, that's what my dad says and he's right", "group-stereotype"),
    ("people with bipolar should be monitored, it's not fair on us", "group-stereotype"),
]

NEGATIVE = [
    # 2026-11-21.5: the general frames leave these alone
    "you can't be anxious about it forever, and that's okay",
    "i'm autistic and i line up my shoes",
    "we went to a metal gig, the headbangers were brilliant",
    "the plot twist was bonkers",
    "people with anxiety often want reassurance, not advice",
    "addicts need support, not a slap on the wrist",
    "depression is just as real as a broken leg",
    "addicts are scum, that's what my dad says, and he's wrong",
    "saying addicts are lazy is not fair",
    # clinical and first-person language about diagnoses
    "I was diagnosed with schizophrenia in 2019.",
    "I've been diagnosed with bipolar II.",
    "People with bipolar disorder deserve good care.",
    "My OCD has been really bad this week.",
    "My OCD about germs is worse in winter.",
    "Is OCD about more than cleanliness?",
    "My first psychosis was terrifying.",
    "I had a psychotic episode in March.",
    "The psychiatrist changed my meds.",
    "My psychologist recommended journaling.",
    "Psychotherapy helped me more than anything.",
    "Psycho-education sessions are on Tuesdays.",
    "She's schizoaffective and doing well.",
    "I'm bipolar and proud of how far I've come.",
    "I'm schizophrenic and I work full time.",
    "My mum is bipolar.",
    "She's bipolar, not dangerous.",
    "Being bipolar is hard some days.",
    "So OCD treatment starts next week.",
    "My brother has schizophrenia and he's the kindest person I know.",
    "I got my bipolar diagnosis last year.",
    "A bipolar episode can last weeks.",
    "Bipolar disorder runs in my family.",
    "My bipolar meds make me tired.",
    "She has anorexia and is in treatment.",
    "He's anorexic and in hospital.",
    "I'm an anorexic in recovery.",
    "The schizophrenic symptoms faded with treatment.",
    "A depressive episode hit me hard in January.",
    "She has borderline personality disorder.",
    "The mentally ill patients in the study improved.",
    "People with OCD struggle with intrusive thoughts.",
    "Kids with ADHD are often misunderstood.",
    "I have ADHD and my meds help a lot.",
    "Attention deficit hyperactivity disorder is real.",
    "He was in a mental hospital for six weeks.",
    "The psych ward staff were kind to me.",
    "The psych nurse was kind.",
    "He's a psych major.",
    "The mania lasted a week.",
    "She was committed to a psychiatric hospital.",
    "Retardation of growth was noted in the report.",
    "Schizophrenia isn't a split personality.",
    "Mental health matters.",
    # recovery self-identification
    "I'm an alcoholic in recovery.",
    "I'm an addict and I've been clean for 400 days.",
    "I was an addict; now I'm in recovery.",
    "He's recovering from alcoholism.",
    "Alcoholics Anonymous saved my life.",
    "Many addicts recover.",
    "Addicts are people too.",
    "Addicts can recover with support.",
    "I used to call myself a junkie.",
    # suicide language that is respectful, or the writer's own experience
    "She died by suicide last spring.",
    "We are committed to suicide prevention.",
    "I commit to recovery every single day.",
    "Suicide prevention training starts Monday.",
    "Suicide rates are rising among young men.",
    "After my failed suicide attempt I found this group.",
    # reported speech and words mentioned, not used
    "People called me a psycho and it hurt.",
    "Someone called me a psycho at work and I cried.",
    "My ex used to call me a psycho.",
    "Kids at school called me retarded.",
    "They labelled me a lunatic.",
    "He told everyone I was a junkie.",
    "My dad used to call me a junkie.",
    "I used to be called a junkie.",
    "I was told I was just an attention seeker.",
    "My so-called friends said I was attention seeking.",
    "Someone commented that I'm an attention whore.",
    "I hate when people say 'committed suicide'.",
    "I hate when people say committed suicide.",
    "Please don't say committed suicide, say died by suicide.",
    'The word "retard" is a slur.',
    "Why do people think it's okay to say 'retard'?",
    "Calling someone a psycho is cruel.",
    "Please stop using the word crazy person.",
    "Terms like 'junkie' keep people from getting help.",
    "Words like 'junkie' and 'crackhead' hurt.",
    "Being called a 'schizo' at school made me hide my diagnosis.",
    "> you're nothing but a junkie\n\nThat's what my brother texted me.",
    "He yelled \u201cyou psycho!\u201d at me in the car park.",
    "In group someone said 'once an addict, always an addict', and I disagree.",
    "I've heard people say schizophrenics are dangerous.",
    "Why do people say addicts are weak?",
    "Some people think addicts are lazy, but I know better.",
    "I'm scared people will think I'm attention seeking.",
    # rebuttals and negations of a stereotype
    "It's a myth that mentally ill people are dangerous.",
    "Stigma says people with schizophrenia are violent, and it's wrong.",
    "Mentally ill people are not dangerous.",
    "People with schizophrenia are more likely to be victims of violence.",
    "People with mental illness are more likely to be victims than perpetrators.",
    "People with depression aren't weak.",
    "Not all addicts are lazy.",
    "Depression is not a choice.",
    "Depression isn't laziness.",
    "Addiction is a disease, not a moral failing.",
    "Mental illness is not a character flaw.",
    "You can't just snap out of it.",
    "You're not a psycho for feeling this way.",
    "I'm not a psycho, I'm a person with psychosis.",
    "People often assume I'm dangerous because I have schizophrenia.",
    "Depression is not just sadness.",
    "Addicts tend to be very resilient.",
    "Myth: people with schizophrenia are violent.",
    "People with schizophrenia are violent? No, that's a myth.",
    "It's a stereotype that addicts are lazy.",
    "I hate that people think depression is laziness.",
    "Self-harm is not attention seeking.",
    "Self-harm isn't attention-seeking, it's a way of coping.",
    "I'm not an attention seeker, I'm in pain.",
    "I'm not doing this for attention, I just need to talk.",
    "Stop calling people with addiction junkies.",
    "If someone calls you a psycho, report it.",
    "I refuse to use words like lunatic.",
    "The term 'the mentally ill' is outdated.",
    "I hate the phrase 'successful suicide'.",
    "My ex was diagnosed as a sociopath.",
    # the writer about themself
    "I felt like a crazy person crying in the car.",
    "I felt like a lunatic for crying at an advert.",
    "I've been cleaning like a maniac all weekend.",
    "I've been working like a madman.",
    "I don't want to seem attention-seeking.",
    "I felt like I belonged in a psych ward that year.",
    "I attempted suicide last year and I'm still here.",
    # figurative crazy / mad / insane, and anger
    "He's mad at me for missing dinner.",
    "I'm crazy about hiking.",
    "That's insane, congrats on 100 days!",
    "This week has been crazy busy.",
    "You're not crazy, you're struggling.",
    "I feel like I'm going crazy.",
    "He's crazy talented.",
    "Crazy how fast time flies.",
    "That was a crazy good meal.",
    "My boss drives me crazy.",
    "Our team went mental when we scored.",
    # medication talk that is not a taunt
    "I went off my meds and relapsed, never again.",
    "Remember to take your meds!",
    "Did you remember to take your meds today?",
    "My sister stopped taking her meds and ended up in hospital.",
    "There's nothing wrong with being on meds.",
    "Is it normal to feel off after starting new meds?",
    "He's been off his meds for a week and I'm worried.",
    "He's off his meds again and I'm scared for him.",
    # titles and look-alike words
    "I rewatched Psycho (1960) last night.",
    "Hitchcock's Psycho still scares me.",
    "Psycho is one of Hitchcock's best films.",
    "I watched American Psycho last night.",
    "Psycho Killer by Talking Heads is on repeat.",
    "The Crazy Ex-Girlfriend soundtrack is great.",
    "He's a huge Looney Tunes fan.",
    "I love Nutter Butter cookies.",
    "Twenty loonies for a coffee? No thanks.",
    "The fire retardant smelled awful.",
    "The asylum seekers arrived yesterday.",
    "The film 'Maniac' came out in 1980.",
    "Have you seen Psycho (1960)? The shower scene is iconic.",
    "Straight after group I went for a walk.",
    "I belong in this group.",
    "I'm an adrenaline junkie.",
    # everyday recovery talk
    "My therapist says anxiety is very common.",
    "Recovery is a choice I make every day.",
    "I believe people can change.",
    "She suffers from depression.",
    "He's a victim of abuse.",
    "I've been so anxious lately.",
    "She was so depressed she couldn't get out of bed.",
    "My mood has been up and down.",
    "I'm so proud of you!",
    "I'm going nuts trying to fix my bike.",
    "It's crazy how much better I feel.",
    "I was psychotic for three weeks in hospital.",
    "Mad Pride is a movement for people with lived experience.",
    "I'm a bit of a neat freak.",
    "My friend committed to running a marathon.",
    "Bipolar I and bipolar II are different.",
    # --- lexicon 2026-11-21.2 -------------------------------------------------------------
    # "mental", "psychotic", "manic": clinical, first-person, things, celebration
    "Mental health days matter to me.",
    "I've been mentally exhausted since the funeral.",
    "Mental illness runs in my family.",
    "He had a psychotic episode in 2019 and recovered.",
    "I was psychotic when they admitted me, and terrified.",
    "The manic phase of my bipolar lasted three weeks.",
    "I made a mental note to call my sponsor.",
    "Doing mental arithmetic calms me down.",
    "The crowd went mental when the band came on.",
    "Work has been mental this month.",
    "I'm going mental stuck inside all day.",
    "My dad went psychotic after he stopped his medication.",
    "He's a mental health nurse on my ward.",
    "That's mental, well done on a year sober!",
    "My friend's a bit manic at the moment, she hasn't slept in days and I'm scared.",
    "The kids went mental for the bouncy castle.",
    "Your mental and physical health both matter.",
    "You're not mental, you're unwell and that's okay.",
    # look-alike words, things, and the writer's own history
    "The film's deranged plot kept me laughing.",
    "That was an unhinged rant about parking.",
    "I felt unhinged the week I came off sertraline.",
    "We're growing tomatoes in the vegetable garden.",
    "Is a tomato a fruit or a vegetable?",
    "The meds made me a vegetable for a while.",
    "She trained as a pattern cutter in London.",
    "The coastguard cutter came alongside.",
    "Pass me the pizza cutter.",
    "I was a cutter for years and I'm healing now.",
    "The farm is certifiable organic.",
    "I watched Looney Tunes with my nephew.",
    "The tickets aren't all there yet.",
    "Schizoid personality disorder is often misunderstood.",
    "She works as a mental health patient advocate.",
    "My daughter is away with the fairies in class.",
    # real trauma, real illness, self-identification, "triggered" in its own sense
    "I have PTSD from the assault and it's hard.",
    "The crash gave me PTSD and I'm in therapy.",
    "My PTSD flares up around anniversaries.",
    "So PTSD from my deployment still wakes me up.",
    "I was anorexic for six years.",
    "Being anorexic nearly killed me.",
    "She looks anorexic, I'm worried about her.",
    "I'm so depressed I can't get out of bed.",
    "My ADHD brain forgot the appointment again.",
    "I'm autistic and proud.",
    "My son is autistic and loves trains.",
    "Are you autistic? I am too!",
    "It's autistic burnout, not laziness.",
    "I got triggered by a smell today and had a panic attack.",
    "Someone is triggered by this post, can we add a content warning?",
    # inflected look-alikes
    "I have psychopathic traits according to my assessment.",
    "Suicides among young men are rising.",
    "He is committed to his recovery.",
    "I'm committing to 90 meetings in 90 days.",
    "Junk food is my weakness.",
    "Addicts are always welcome at our meetings.",
    "The suicide prevention team called me back.",
    "She died by suicide and we miss her every day.",
    "Committed relationships help my recovery.",
    "Psychology was my favourite subject.",
    # rebuttals, reports, feelings, coping tips
    "My uncle says depression is laziness, but it isn't.",
    "I once believed addiction was a choice.",
    "Is it normal to feel weak after a panic attack?",
    "My anxiety made me feel like a burden at home.",
    "It's just anxiety, you're safe, it will pass.",
    "Stop being so hard on yourself.",
    "Therapy is a choice I'm glad I made.",
    "I need to man up and call my sponsor.",
    "My dad told me to man up when I cried.",
    "We were a man up after the red card.",
    "I worry nobody will hire me after rehab.",
    "Mental health days are a lifeline for me.",
    "It's a myth that people with depression just need to toughen up.",
    "People with depression should get some fresh air, it helped me.",
    "People with PTSD have nightmares.",
    "Started my happy pills today!",
    "Nobody should have to man up alone.",
    "Just think positive is terrible advice.",
    "Man up front tonight was amazing.",
    "My daughter is a cutter and I don't know how to help her.",
    "The mentally-ill label follows you around.",
    # recovery identity words
    "I'm an addict and I've been clean 200 days.",
    "I'm an alcoholic and proud to be sober.",
    "I'm in recovery from heroin addiction.",
    "I'm a recovering addict.",
    "As an alcoholic in recovery, meetings keep me going.",
    "Clean and sober 3 years today!",
    "Twelve years clean and still going to meetings.",
    "My brother is an addict in recovery and I'm proud of him.",
    # titles, names and history
    "I replayed Maniac Mansion last weekend.",
    "Lunatic Harness is a brilliant album.",
    "The film psycho still scares me.",
    "I'm reading *Maniac* by Benjamin Labatut.",
    "The Maniac is a novel about von Neumann.",
    "I loved Maniac on Netflix.",
    "The former county lunatic asylum is flats and a museum now.",
    "My nan researched the history of the local asylum.",
    "The lunatic asylum was built in 1851 and closed in 1995.",
    "Bethlem Lunatic Asylum was once in Moorfields.",
    "My great-grandmother died in the pauper lunatic asylum.",
    # --- lexicon 2026-11-21.3: the labelling policy, one block per policy line ----------
    # self-identification in recovery
    "I'm an addict in recovery, 90 days today",
    "i'm an alcoholic and i go to AA twice a week",
    "As an alcoholic, the holidays are hard",
    "I'm an addict. Clean 2 yrs.",
    "im bipolar and proud",
    "i'm schizoaffective, diagnosed in 2020",
    "as a bulimic in recovery, christmas is tough",
    "I'm a bipolar mum and I'm a good mum",
    # clinical and respectful wording
    "he had a psychotic episode in 2019",
    "her psychotic symptoms eased on the new meds",
    "my brother was psychotic when he was admitted and the ward was kind",
    "he's psychotic right now and the crisis team are coming",
    "diagnosed with schizophrenia at 22",
    "she died by suicide in march",
    "he took his own life two years ago",
    "people with schizophrenia deserve housing",
    "my daughter has anorexia",
    "I was sectioned in 2021",
    "the psych ward had a nice garden",
    "I got out of the psych ward last week and I'm doing ok",
    "survived a suicide attempt and I'm still here",
    "I had a panic attack in the supermarket and had to leave",
    "i'm having a panic attack right now can someone talk to me",
    "the crash gave me PTSD and I'm in EMDR now",
    "my abusive ex gave me ptsd",
    "I was diagnosed with clinical depression in 2020",
    "I think my sister is psychotic, what should I do?",
    "I nearly had a panic attack lol, the dentist was scary",
    "my brother should be sent to a psych ward, he's not safe",
    # "is bipolar" said respectfully
    "my mum is bipolar and the best mum ever",
    "he's bipolar and works as a nurse",
    "my partner is bipolar, any tips for supporting her?",
    "she's bipolar, that's why she's on lithium",
    "my son is bipolar and we're learning together",
    "my husband is bipolar and when he's manic he can be unpredictable, any advice?",
    "my son is schizophrenic and I'm scared he might hurt himself",
    "my brother is a nightmare, he's also bipolar but that's not why",
    # a slur or stereotype quoted to criticise, report or reject it
    "someone called me a psycho and it hurt",
    "'addicts are scum' — that's what my dad said when I told him",
    "the kids at school called us 'retards'",
    "addicts are scum, that's what my uncle told me at christmas",
    "according to my nan, therapy is for the weak",
    "my boss reckons adhd isn't real, which hurt",
    "I got called a junkie at the pharmacy today",
    "stop calling yourself a druggie, you're so much more",
    # a stereotype negated or renounced
    "suicide is not selfish, it's pain",
    "I used to think addicts chose this, now I know better",
    "depression isn't laziness, it's an illness",
    "no one chooses addiction",
    "people with schizophrenia aren't dangerous",
    "she's not a psycho, she's poorly",
    "once an addict, always an addict? I don't believe that",
    "real men do cry and that's ok",
    "people with bipolar can be amazing parents",
    "just go for a walk if you can, it helps me a little",
    "going outside helps me on bad days",
    "big pharma pricing on insulin is a scandal",
    "you're too young to remember dial-up",
    # figurative emphasis not about people or illness
    "crazy busy at work this week",
    "mum's mad at me for missing tea",
    "this cake is insanely good",
    "bonkers match last night",
    "I'm mad keen on hiking",
    "traffic is driving me nuts",
    "the crowd went mental when they scored",
    "the lads went mental when we equalised",
    "my kids went mental at the park",
    "this meme is unhinged",
    "that tweet was absolutely unhinged lol",
    "the plot of season 3 got so deranged",
    "the deranged killer in the book was well written",
    # titles and names
    "watching Psycho for the first time",
    "just watched american psycho again lol",
    "Looney Tunes was my childhood",
    "One Flew Over the Cuckoo's Nest made me cry",
    "Maniac on Netflix was weird but good",
    "Crazy in Love is my karaoke song",
    "Madness played Our House",
    "Mad Pride march this weekend",
    "Mrs Nutter was my favourite teacher",
    "Dr Nutter is my GP and she's lovely",
    "the lunatic is on the grass, remember games and daisy chains and laughs",
    "basket case by green day is on repeat",
    # look-alike words
    "psychology exam tomorrow, wish me luck",
    "I'm so psyched for the meetup",
    "the fire retardant on the sofa smells",
    "up at the crack of dawn for my shift",
    "I'm allergic to nuts so no flapjacks for me",
    "nutty flapjacks are my weakness",
    "I had a nut bar for breakfast",
    "the schisandra tea helped my sleep",
    "junk food is my comfort",
    "lunar eclipse tonight!",
    "committed to the gym 4x a week now",
    "she was committed to hospital under section 2",
    "mental load is real with three kids",
    "doing mental arithmetic to calm down",
    "so ADHD assessment waiting lists are 2 years here",
    "the asylum seekers at the centre need coats",
    "after two failed attempts to quit smoking I finally did it",
    "my failed attempts at baking bread lol",
    "antidepressants were invented by pharma companies",
    "visiting family in Ranchi next week",
    "tweaker settings for my pc",
    "the lift doesn't go to the top floor of our building",
    # hard negatives for the positive lines: diagnoses as adjectives, real symptoms, care
    "a bipolar diagnosis isn't the end",
    "depressive symptoms got better with sleep",
    "the mentally ill characters in the book were written with care",
    "I'm bulimic and in recovery",
    "my OCD has been bad this week, lots of checking",
    "I have OCD and the intrusive thoughts are exhausting",
    "panic attacks are awful, breathing helps me",
    "the war gave him PTSD and he never talks about it",
    "I was anorexic for years, recovery is possible",
    "I worry people won't trust me after the psych ward",
    "I don't trust him, he lied about the money again",
    "she's been in a psych ward and she's the bravest person I know",
    "I felt a bit unhinged after a week of no sleep",
    "my dad was psychotic for a month and he's ok now",
    "real men talk about their feelings",
    "i'm committed to getting better",
    # hard negatives for 2026-11-21.4
    "I was psychotic when I was admitted",
    "my psychiatrist said I'm not unhinged, I'm unwell",
    "it's a myth that people with anorexia are just vain",
    "people think people who self harm are doing it for attention but that's wrong",
    "I used to believe people on antidepressants are cheating",
    "addiction isn't a choice, it's a disease",
    "people with schizophrenia aren't dangerous, they're more often victims",
    "not all people on methadone are scroungers",
    "I got drunk last night and regret it",
    "drunk driving killed my cousin",
    "my husband was drunk again and I'm scared",
    "I'm a drunk and I'm in recovery",
    "taking a mental health day was the best thing I did",
    "the match was mental",
    "the match was absolutely mental, what a goal",
    "someone called me a total psycho and I cried",
    "my stress leave starts monday, I need it",
    "my team is a lost cause this season",
    "that politician's speech was unhinged",
]

ENTRY_KEYS = {"id", "suggestion", "explanation"}


def _raw_lexicon() -> str:
    return LEXICON_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize(("text", "rule"), POSITIVE, ids=[t for t, _ in POSITIVE])
def test_stigmatising_wording_is_flagged_by_its_rule(text: str, rule: str) -> None:
    matches = find_stigma(text)
    assert rule in [m.rule for m in matches], matches


@pytest.mark.parametrize("text", NEGATIVE, ids=NEGATIVE)
def test_respectful_clinical_reported_or_figurative_wording_is_not_flagged(text: str) -> None:
    assert find_stigma(text) == []


# The lexicon leaves these alone; the learned model nudges anyway. "commit suicide" is
# stigmatising by the labelling policy (bench/screening/data/README.md) even about oneself, so
# the model is right there; "news junkie" is an idiom it cannot tell from the slur. A nudge
# is a suggestion the author may ignore; both choices are kept visible here.
MODEL_NUDGES = ["I tried to commit suicide when I was 19.", "He's a total news junkie."]


@pytest.mark.parametrize("text", MODEL_NUDGES)
def test_the_model_nudges_on_some_wording_the_lexicon_lets_pass(text: str) -> None:
    assert stigma_detect.find_stigma_by_rules(text) == []
    assert {m.rule for m in find_stigma(text)} == {"model"}


def test_the_tables_are_large_and_have_no_duplicates() -> None:
    texts = [t for t, _ in POSITIVE]
    assert len(POSITIVE) >= 60 and len(NEGATIVE) >= 60
    assert len(set(texts)) == len(texts) and len(set(NEGATIVE)) == len(NEGATIVE)


@pytest.mark.parametrize("text", [t for t, _ in POSITIVE], ids=[t for t, _ in POSITIVE])
def test_every_match_carries_exact_offsets_and_a_suggestion(text: str) -> None:
    matches = find_stigma(text)
    assert matches
    for match in matches:
        assert text[match.start : match.end] == match.term
        assert match.term.strip() == match.term and match.term
        assert match.suggestion.strip() and match.explanation.strip()
        assert "\n" not in match.explanation


def test_matches_are_ordered_by_start_and_never_overlap() -> None:
    text = " ".join(t for t, _ in POSITIVE)
    matches = find_stigma(text)
    assert len(matches) >= len(POSITIVE)
    for earlier, later in itertools.pairwise(matches):
        assert earlier.end <= later.start


def test_a_match_reports_the_words_as_written_with_the_respectful_alternative() -> None:
    text = "Honestly my uncle Committed Suicide in 2010."
    [match] = find_stigma(text)
    assert match == StigmaMatch(
        term="Committed Suicide",
        start=18,
        end=35,
        suggestion=match.suggestion,
        explanation=match.explanation,
        rule="committed-suicide",
    )
    assert "died by suicide" in match.suggestion


def test_a_phrase_wins_over_the_single_word_inside_it() -> None:
    [match] = find_stigma("She ended up in the loony bin.")
    assert (match.term, match.rule) == ("loony bin", "asylum")
    [match] = find_stigma("He went psycho on me.")
    assert (match.term, match.rule) == ("went psycho", "went-psycho")


@pytest.mark.parametrize(
    "text",
    ["nut job", "nut-job", "nutjob", "Nut Job", "NUTJOBS", "nutjob's", "r3tard", "ret4rd",
     "reeetard", "psych0", "5chizo", "crack-head", "crackheads"],
)  # fmt: skip
def test_spacing_hyphen_case_plural_and_leet_variants_are_caught(text: str) -> None:
    [match] = find_stigma(f"what a {text}!")
    assert match.term == text


def test_words_that_merely_contain_a_slur_are_not_flagged() -> None:
    text = "Psychology, psychosis, schizophrenia, custard, leotard, retardant, balloon, saloon."
    assert find_stigma(text) == []


def test_the_fast_path_finds_exactly_what_a_full_scan_finds() -> None:
    # find_stigma only runs a rule near its anchors; a missing anchor would silently drop
    # matches, so compare with running every rule over the whole text.
    texts = [t for t, _ in POSITIVE] + NEGATIVE
    for text in [*texts, " ".join(texts), "\n".join(reversed(texts))]:
        assert stigma_detect._scan(text) == stigma_detect._scan(text, full_scan=True), text[:80]


def test_the_lexicon_version_is_a_dated_serial() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\.\d+", LEXICON_VERSION)


def test_the_lexicon_file_parses_and_every_entry_has_the_required_keys() -> None:
    data = tomllib.loads(_raw_lexicon())
    assert data["version"] == LEXICON_VERSION
    entries = data["entry"]
    assert len(entries) == len(stigma_lexicon._RULES) >= 30
    ids = [entry["id"] for entry in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert set(entry) >= ENTRY_KEYS, entry["id"]
        assert entry.get("words") or entry.get("patterns"), entry["id"]
        assert entry["suggestion"].strip() and entry["explanation"].strip()


def test_every_entry_carries_its_rationale_and_known_false_positives() -> None:
    raw = _raw_lexicon()
    entries = raw.count("[[entry]]")
    assert raw.count("# rationale") >= entries
    assert raw.count("# known false positives") >= entries
    # each one inside its own entry, not gathered at the top
    for block in raw.split("[[entry]]")[1:]:
        assert "# rationale" in block and "# known false positives" in block


def test_every_rule_fires_on_at_least_one_positive_example() -> None:
    covered = {rule for _, rule in POSITIVE}
    assert covered == {rule.id for rule in stigma_lexicon._RULES}


@pytest.mark.parametrize(
    "text",
    [
        "Caf\u00e9 psycho",  # NFC
        "Cafe\u0301 psycho",  # NFD: a combining accent before the match shifts nothing
        "\u00ad\u200b\u200d\ufeff",  # only invisible characters
        "\ud800 lone surrogate psycho",
        "\U0001f600\U0001f525 emoji psycho \u202e reversed",
        "\x00\x07 control characters psycho",
        "\ufb01ne ligature psycho",
        "",
        " ",
    ],
)
def test_odd_unicode_input_does_not_crash_and_offsets_stay_exact(text: str) -> None:
    for match in find_stigma(text):
        assert text[match.start : match.end] == match.term
    nfc = unicodedata.normalize("NFC", text) if "\ud800" not in text else text
    for match in find_stigma(nfc):
        assert nfc[match.start : match.end] == match.term


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("you ps\u200bycho", "ps\u200bycho"),  # zero-width space inside the word
        ("you \uff50\uff53\uff59\uff43\uff48\uff4f", "\uff50\uff53\uff59\uff43\uff48\uff4f"),
        ("you \u0440sycho", "\u0440sycho"),  # Cyrillic er
        ("\u201cmy uncle committed suicide\u201d, she wrote to me", None),  # curly quotes
        ("the junkie\u2019s bag", "junkie\u2019s"),
    ],
)
def test_disguised_letters_are_read_as_the_word_they_imitate(text: str, term: str | None) -> None:
    terms = [m.term for m in find_stigma(text)]
    assert terms == ([term] if term else [])


def test_a_100k_character_post_is_scanned_completely() -> None:
    filler = "Some days are hard but I keep showing up for the group. " * 1800
    text = filler + "My neighbour is a total psycho." + filler[:3000]
    assert len(text) > 100_000
    [match] = find_stigma(text)
    assert match.term == "psycho" and text[match.start : match.end] == "psycho"


def test_a_long_post_with_many_matches_returns_them_all() -> None:
    text = "My ex is a total psycho and a junkie. I'm fine. " * 3000
    matches = find_stigma(text)
    assert len(matches) == 6000
    assert all(text[m.start : m.end] == m.term for m in matches)


def test_an_insult_about_another_person_points_at_the_word_itself() -> None:
    text = "My dad went mental at me last night."
    [match] = find_stigma(text)
    assert (match.term, match.start, match.rule) == ("mental", 12, "mental-insult")
    assert find_stigma("My dad went to a mental health talk last night.") == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("I was such a junkie back in the day.", "junkie"),
        ("Honestly I was a crackhead for years.", "crackhead"),
        ("I'm a psycho before coffee.", "psycho"),
        # changed in 2026-11-21.3: druggie and alkie lost their self-description exemption
        ("I was a total druggie at uni.", "druggie"),
        ("honestly i was the biggest alkie in town", "alkie"),
        ("I'm an alcoholic but at least I'm not a junkie.", "junkie"),
        ("I'm an addict, one day at a time.", None),
        ("I'm an alcoholic and I'm in recovery.", None),
        ("I've been clean for a year.", None),
    ],
)
def test_slurs_are_flagged_about_the_writer_too_but_recovery_words_never_are(
    text: str, rule: str | None
) -> None:
    assert [m.rule for m in find_stigma(text)] == ([rule] if rule else [])


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("We played Maniac Mansion all night.", False),  # a capitalised name
        ("She reviewed *Maniac* for the paper.", False),  # italics name a work
        ("the band psycho killer were loud", False),  # "the band ..." names it
        ("He's a complete *psycho*.", True),  # lower-case italics are emphasis
        ("That Maniac cut me up on the ring road.", True),  # first word of a sentence
        ("My Boss Is A Total Psycho.", True),  # Title-Case shouting
        ("I think Dave's a Psycho.", True),  # a lone "a" does not join a name
        ("just rewatched american psycho lol", False),  # a known title, lower case, a cue
        ("watched psycho last night, still scared of showers", False),  # right after "watched"
        ("my ex is an american psycho lol", True),  # no film cue in the sentence
        ("he's psycho, we watched him lose it", True),  # "psycho" not after a viewing verb
    ],
)
def test_a_capitalised_name_is_a_title_but_shouting_in_capitals_is_not(
    text: str, flagged: bool
) -> None:
    assert bool(find_stigma(text)) is flagged


INSTITUTION_NEGATIVE = [
    "The county lunatic asylum closed in 1961.",
    "Records from the insane asylum go back to 1840.",
    "The Royal Lunatic Asylum is a hotel now.",
]
INSTITUTION_POSITIVE = [
    "The old loony bin is a museum now.",  # a nickname mocks in any sentence
    "He should be in an insane asylum.",
]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [*((t, False) for t in INSTITUTION_NEGATIVE), *((t, True) for t in INSTITUTION_POSITIVE)],
)
def test_a_historical_institution_is_named_but_a_mocking_nickname_is_still_flagged(
    text: str, flagged: bool
) -> None:
    assert bool(find_stigma(text)) is flagged
