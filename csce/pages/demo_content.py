"""The demo site's texts: the centre's pages in French, each with its English translation.

Plain data only; ``demo.py`` turns it into pages. Each node of ``SITE`` is a page:

- ``key``: how other pages refer to it (buttons, the home page's main button);
- ``type``: its page model; ``common``: fields shared by both languages;
- ``links``: page-choosing fields, as keys, resolved to the page in the same language;
- ``fr`` and ``en``: title, slug, ``search_description`` (the summary in listings and
  search results), the model's own fields, and ``body`` written as short tuples:

  ``("h2", text)`` or ``("h3", text)``: a heading; ``("p", html)``: rich text;
  ``("callout", "info" | "important", title, html)``; ``("question", question, html)``;
  ``("button", page_key, label)``.

``{privacy_officer_email}`` is replaced by ``settings.PRIVACY_OFFICER_EMAIL`` when loaded.
"""

from __future__ import annotations

import datetime

CENTRE = {
    "name": "Centre de santé communautaire de l'Estrie",
    "short_name": "CSCE",
    "street_address": "450, rue Pitt",
    "city": "Cornwall",
    "province": "ON",
    "postal_code": "K6J 3R2",
    # 613-555-0100 to 0199 is reserved for fiction: never a real line.
    "phone": "613-555-0142",
}

# (weekday, opens, closes): Monday to Friday, open late on Thursday.
OPENING_HOURS = [
    (0, datetime.time(8, 30), datetime.time(16, 30)),
    (1, datetime.time(8, 30), datetime.time(16, 30)),
    (2, datetime.time(8, 30), datetime.time(16, 30)),
    (3, datetime.time(8, 30), datetime.time(20, 0)),
    (4, datetime.time(8, 30), datetime.time(16, 30)),
]

# Page keys, in footer order. The links point at the French pages; each visitor sees
# the translation in their language.
FOOTER_PAGES = ["privacy", "accessibility", "acceptable_use", "contact"]

PRIMARY_CARE = {
    "key": "primary_care",
    "type": "ServicePage",
    "common": {"icon": "stethoscope"},
    "fr": {
        "title": "Soins primaires",
        "slug": "soins-primaires",
        "search_description": (
            "Un médecin ou une infirmière praticienne pour vos soins de tous les jours : "
            "examens, suivi des maladies chroniques, vaccination et soins aux enfants."
        ),
        "who_for": (
            "<p>Les personnes de tous âges qui habitent notre territoire et qui sont inscrites "
            "au Centre, en particulier celles qui n'ont pas de médecin de famille.</p>"
        ),
        "how_to_access": (
            "<p>Téléphonez à notre service d'accueil ou présentez-vous au Centre pendant nos "
            "heures d'ouverture. Une intervenante vous posera quelques questions pour ouvrir "
            "votre dossier.</p>"
        ),
        "cost": "Gratuit. Parlez-nous de votre situation si vous n'avez pas de carte Santé.",
        "body": [
            ("h2", "Une équipe pour vos soins de tous les jours"),
            (
                "p",
                "<p>Lorsque vous êtes inscrit au Centre, une équipe de soins primaires prend "
                "soin de vous et de votre famille tout au long de votre vie. Votre médecin ou "
                "votre infirmière praticienne travaille de concert avec le personnel "
                "infirmier, une diététiste et, au besoin, une travailleuse sociale.</p>",
            ),
            ("h3", "Ce que nous offrons"),
            (
                "p",
                "<ul><li>examens médicaux périodiques et dépistage;</li>"
                "<li>soins en cas de maladie ou de blessure mineure;</li>"
                "<li>suivi du diabète, de l'hypertension, de l'asthme et d'autres maladies "
                "chroniques;</li>"
                "<li>suivi de grossesse et soins aux nouveau-nés;</li>"
                "<li>vaccination des enfants et des adultes;</li>"
                "<li>renouvellement d'ordonnances et orientation vers des spécialistes.</li>"
                "</ul>",
            ),
            (
                "callout",
                "info",
                "Rendez-vous le jour même",
                "<p>Nous réservons chaque jour des plages horaires pour les problèmes de santé "
                "qui ne peuvent pas attendre. Téléphonez-nous dès l'ouverture pour en "
                "obtenir une.</p>",
            ),
            (
                "question",
                "Je n'ai pas de médecin de famille. Puis-je m'inscrire?",
                "<p>Oui, lorsque des places sont disponibles. Communiquez avec notre service "
                "d'accueil : nous vérifierons avec vous que vous habitez notre territoire et, "
                "au besoin, nous vous inscrirons sur notre liste d'attente. Vous pouvez aussi "
                "vous inscrire à Accès Soins, le programme de la province qui aide la "
                "population à trouver un fournisseur de soins primaires.</p>",
            ),
            (
                "question",
                "Que dois-je apporter à mon rendez-vous?",
                "<p>Votre carte Santé si vous en avez une, la liste de vos médicaments et vos "
                "questions. Si vous n'avez pas de carte Santé, venez quand même et parlez-en "
                "à l'accueil.</p>",
            ),
            ("button", "contact", "Prendre rendez-vous"),
        ],
    },
    "en": {
        "title": "Primary care",
        "slug": "primary-care",
        "search_description": (
            "A doctor or nurse practitioner for your everyday care: check-ups, chronic "
            "disease follow-up, immunization and children's health."
        ),
        "who_for": (
            "<p>People of all ages who live in our service area and are registered with the "
            "Centre, especially those who do not have a family doctor.</p>"
        ),
        "how_to_access": (
            "<p>Call our intake team or visit the Centre during opening hours. A staff member "
            "will ask you a few questions to open your file.</p>"
        ),
        "cost": "Free. Talk to us about your situation if you don't have a health card.",
        "body": [
            ("h2", "A team for your everyday care"),
            (
                "p",
                "<p>When you are registered with the Centre, a primary care team looks after "
                "you and your family throughout your life. Your doctor or nurse practitioner "
                "works closely with our nurses, a dietitian and, when needed, a social "
                "worker.</p>",
            ),
            ("h3", "What we offer"),
            (
                "p",
                "<ul><li>regular check-ups and screening;</li>"
                "<li>care for minor illnesses and injuries;</li>"
                "<li>follow-up for diabetes, high blood pressure, asthma and other chronic "
                "conditions;</li>"
                "<li>prenatal care and care for newborns;</li>"
                "<li>immunization for children and adults;</li>"
                "<li>prescription renewals and referrals to specialists.</li></ul>",
            ),
            (
                "callout",
                "info",
                "Same-day appointments",
                "<p>Every day, we keep appointments open for health problems that cannot "
                "wait. Call us as soon as we open to get one.</p>",
            ),
            (
                "question",
                "I don't have a family doctor. Can I register?",
                "<p>Yes, when spaces are available. Contact our intake team: we will check "
                "with you that you live in our service area and, if needed, add you to our "
                "waiting list. You can also register with Health Care Connect, the provincial "
                "program that helps people find a primary care provider.</p>",
            ),
            (
                "question",
                "What should I bring to my appointment?",
                "<p>Your health card if you have one, a list of your medications and your "
                "questions. If you don't have a health card, come anyway and talk to our "
                "reception staff.</p>",
            ),
            ("button", "contact", "Book an appointment"),
        ],
    },
}

HEALTH_PROMOTION = {
    "key": "health_promotion",
    "type": "ServicePage",
    "common": {"icon": "heart"},
    "fr": {
        "title": "Promotion de la santé",
        "slug": "promotion-de-la-sante",
        "search_description": (
            "Des ateliers et des programmes pour prendre soin de sa santé : saine "
            "alimentation, activité physique, gestion du diabète et arrêt du tabac."
        ),
        "who_for": (
            "<p>Les adultes, les personnes aînées et les familles qui veulent adopter de saines "
            "habitudes de vie ou mieux vivre avec une maladie chronique.</p>"
        ),
        "how_to_access": (
            "<p>Inscrivez-vous par téléphone ou à l'accueil. Votre médecin ou votre infirmière "
            "peut aussi vous orienter vers un programme.</p>"
        ),
        "cost": "Gratuit. Le matériel est fourni.",
        "body": [
            ("h2", "Prendre sa santé en main, à son rythme"),
            (
                "p",
                "<p>Nos programmes de promotion de la santé vous donnent des outils concrets "
                "pour rester en santé ou mieux vivre avec une maladie chronique. Ils sont "
                "animés en français par nos diététistes, notre personnel infirmier et nos "
                "promotrices de la santé, en petits groupes où l'on apprend aussi les uns des "
                "autres.</p>",
            ),
            ("h3", "Nos programmes"),
            (
                "p",
                "<ul><li><b>Bien manger à petit prix</b> : des ateliers de cuisine et des "
                "conseils pour faire son épicerie;</li>"
                "<li><b>Vivre en santé avec le diabète</b> : six rencontres pour mieux "
                "comprendre la maladie et la gérer au quotidien;</li>"
                "<li><b>Bouger pour sa santé</b> : de la marche en groupe et des exercices "
                "adaptés aux personnes aînées;</li>"
                "<li><b>Cesser de fumer</b> : un accompagnement individuel et de l'aide pour "
                "obtenir des produits de remplacement de la nicotine.</li></ul>",
            ),
            (
                "callout",
                "info",
                "Des programmes toute l'année",
                "<p>La plupart des programmes reviennent à l'automne, à l'hiver et au "
                "printemps. Consultez nos nouvelles pour connaître les dates de la prochaine "
                "session.</p>",
            ),
            (
                "question",
                "Dois-je être client du Centre pour participer?",
                "<p>Non. La plupart de nos ateliers sont ouverts à toute la population, que "
                "vous ayez ou non un médecin au Centre.</p>",
            ),
            ("button", "news", "Voir les nouvelles"),
        ],
    },
    "en": {
        "title": "Health promotion programs",
        "slug": "health-promotion",
        "search_description": (
            "Workshops and programs to help you look after your health: healthy eating, "
            "physical activity, diabetes management and quitting smoking."
        ),
        "who_for": (
            "<p>Adults, older adults and families who want to build healthy habits or live "
            "better with a chronic condition.</p>"
        ),
        "how_to_access": (
            "<p>Register by phone or at reception. Your doctor or nurse can also refer you to "
            "a program.</p>"
        ),
        "cost": "Free. All materials are provided.",
        "body": [
            ("h2", "Taking charge of your health, at your own pace"),
            (
                "p",
                "<p>Our health promotion programs give you practical tools to stay healthy or "
                "to live well with a chronic condition. They are led in French by our "
                "dietitians, nurses and health promoters, in small groups where participants "
                "also learn from one another.</p>",
            ),
            ("h3", "Our programs"),
            (
                "p",
                "<ul><li><b>Eating well on a budget</b>: cooking workshops and grocery "
                "shopping tips;</li>"
                "<li><b>Living well with diabetes</b>: six sessions to better understand the "
                "condition and manage it day to day;</li>"
                "<li><b>Move for your health</b>: group walks and exercises adapted for older "
                "adults;</li>"
                "<li><b>Quit smoking</b>: one-on-one support and help getting nicotine "
                "replacement products.</li></ul>",
            ),
            (
                "callout",
                "info",
                "Programs all year round",
                "<p>Most programs run again in the fall, winter and spring. Check our news "
                "for the dates of the next session.</p>",
            ),
            (
                "question",
                "Do I need to be a client of the Centre to take part?",
                "<p>No. Most of our workshops are open to everyone, whether or not you have a "
                "doctor at the Centre.</p>",
            ),
            ("button", "news", "Read the news"),
        ],
    },
}

MENTAL_HEALTH = {
    "key": "mental_health",
    "type": "ServicePage",
    "common": {"icon": "speech"},
    "fr": {
        "title": "Santé mentale et counseling",
        "slug": "sante-mentale-et-counseling",
        "search_description": (
            "Du counseling confidentiel à court terme pour les personnes, les couples et les "
            "familles qui traversent une période difficile."
        ),
        "who_for": (
            "<p>Les jeunes, les adultes, les couples et les familles qui traversent une "
            "période difficile.</p>"
        ),
        "how_to_access": (
            "<p>Appelez-nous, ou parlez-en à votre médecin ou à votre infirmière praticienne. "
            "Vous n'avez pas besoin d'être orienté par un médecin.</p>"
        ),
        "cost": "Gratuit et confidentiel.",
        "body": [
            ("h2", "Parler à quelqu'un, ça peut aider"),
            (
                "p",
                "<p>Stress, anxiété, deuil, séparation, difficultés familiales ou "
                "consommation : nos travailleuses et travailleurs sociaux offrent du "
                "counseling individuel, de couple et familial, en français, dans le respect "
                "et la confidentialité.</p>",
            ),
            (
                "p",
                "<p>Ensemble, vous fixez vos objectifs et le nombre de rencontres dont vous "
                "avez besoin. Les rencontres ont lieu au Centre ou par téléphone.</p>",
            ),
            (
                "callout",
                "important",
                "Besoin d'aide tout de suite?",
                "<p>Si vous pensez au suicide ou si vous craignez pour votre sécurité ou "
                "celle d'une autre personne, appelez ou textez le <b>988</b>, à toute heure "
                "du jour ou de la nuit. En cas de danger immédiat, composez le <b>911</b>.</p>",
            ),
            (
                "question",
                "Y a-t-il une liste d'attente?",
                "<p>Les délais varient au cours de l'année. Lorsque vous communiquez avec "
                "nous, une intervenante évalue vos besoins et vous indique le délai prévu. Si "
                "votre situation est urgente, nous vous orientons vers la ressource qui peut "
                "vous aider le plus rapidement.</p>",
            ),
            (
                "question",
                "Mes proches sauront-ils que je consulte?",
                "<p>Non. Ce que vous nous confiez reste confidentiel. Nous ne communiquons "
                "des renseignements qu'avec votre consentement, sauf dans les rares cas "
                "prévus par la loi, par exemple lorsqu'une personne est en danger.</p>",
            ),
            ("button", "contact", "Demander un rendez-vous"),
        ],
    },
    "en": {
        "title": "Mental health and counselling",
        "slug": "mental-health-and-counselling",
        "search_description": (
            "Confidential short-term counselling for individuals, couples and families going "
            "through a difficult time."
        ),
        "who_for": (
            "<p>Young people, adults, couples and families going through a difficult time.</p>"
        ),
        "how_to_access": (
            "<p>Call us, or talk to your doctor or nurse practitioner. You do not need a "
            "referral from a doctor.</p>"
        ),
        "cost": "Free and confidential.",
        "body": [
            ("h2", "Talking to someone can help"),
            (
                "p",
                "<p>Stress, anxiety, grief, separation, family difficulties or substance use: "
                "our social workers offer individual, couple and family counselling in "
                "French, with respect and in confidence.</p>",
            ),
            (
                "p",
                "<p>Together, you set your goals and decide how many sessions you need. "
                "Sessions take place at the Centre or by phone.</p>",
            ),
            (
                "callout",
                "important",
                "Need help right now?",
                "<p>If you are thinking about suicide, or are worried about your safety or "
                "someone else's, call or text <b>988</b>, at any hour of the day or night. If "
                "there is immediate danger, call <b>911</b>.</p>",
            ),
            (
                "question",
                "Is there a waiting list?",
                "<p>Wait times vary throughout the year. When you contact us, a counsellor "
                "assesses your needs and tells you how long the wait is likely to be. If your "
                "situation is urgent, we refer you to the service that can help you "
                "fastest.</p>",
            ),
            (
                "question",
                "Will my family know that I am seeing a counsellor?",
                "<p>No. What you tell us stays confidential. We share information only with "
                "your consent, except in the rare cases set out in law, for example when "
                "someone is in danger.</p>",
            ),
            ("button", "contact", "Request an appointment"),
        ],
    },
}

COMMUNITY_PROGRAMS = {
    "key": "community_programs",
    "type": "ServicePage",
    "common": {"icon": "people"},
    "fr": {
        "title": "Programmes communautaires",
        "slug": "programmes-communautaires",
        "search_description": (
            "Des activités de groupe, du soutien aux proches aidants et de l'aide pour s'y "
            "retrouver dans les services : des programmes qui rapprochent les gens."
        ),
        "who_for": (
            "<p>Toute personne de la communauté, en particulier les personnes aînées, les "
            "parents de jeunes enfants et les proches aidants.</p>"
        ),
        "how_to_access": (
            "<p>Téléphonez-nous ou passez à l'accueil pour connaître l'horaire des activités "
            "et vous inscrire. Certaines activités ne demandent aucune inscription.</p>"
        ),
        "cost": "Gratuit. Certaines sorties peuvent demander une petite contribution.",
        "body": [
            ("h2", "Des liens qui font du bien"),
            (
                "p",
                "<p>L'isolement a des effets réels sur la santé. Nos programmes "
                "communautaires offrent des occasions de se rencontrer, de s'entraider et de "
                "participer à la vie de la communauté, en français.</p>",
            ),
            ("h3", "Quelques-uns de nos programmes"),
            (
                "p",
                "<ul><li><b>Café-rencontre des aînés</b> : chaque semaine, un moment pour "
                "jaser, apprendre et partager une collation;</li>"
                "<li><b>Soutien aux proches aidants</b> : un groupe d'entraide pour les "
                "personnes qui prennent soin d'un proche;</li>"
                "<li><b>Halte-parents</b> : des jeux pour les tout-petits et des échanges "
                "entre parents;</li>"
                "<li><b>Aide à la navigation</b> : une intervenante vous aide à remplir des "
                "formulaires et à trouver les bons services (logement, aide alimentaire, "
                "transport).</li></ul>",
            ),
            (
                "callout",
                "info",
                "Vous avez une idée?",
                "<p>Bon nombre de nos programmes sont nés de suggestions de la communauté. "
                "Parlez-nous de vos besoins et de vos idées : nous sommes à l'écoute.</p>",
            ),
            (
                "question",
                "Le transport est-il offert?",
                "<p>Pour certaines activités, nous pouvons aider les personnes qui n'ont pas "
                "de moyen de transport. Informez-vous au moment de l'inscription.</p>",
            ),
            ("button", "contact", "Nous joindre"),
        ],
    },
    "en": {
        "title": "Community programs",
        "slug": "community-programs",
        "search_description": (
            "Group activities, support for caregivers and help finding your way through "
            "services: programs that bring people together."
        ),
        "who_for": (
            "<p>Anyone in the community, especially older adults, parents of young children "
            "and caregivers.</p>"
        ),
        "how_to_access": (
            "<p>Call us or drop by reception to find out the activity schedule and register. "
            "Some activities require no registration.</p>"
        ),
        "cost": "Free. Some outings may ask for a small contribution.",
        "body": [
            ("h2", "Connections that do you good"),
            (
                "p",
                "<p>Isolation has a real effect on health. Our community programs offer "
                "opportunities to meet, support one another and take part in community life, "
                "in French.</p>",
            ),
            ("h3", "Some of our programs"),
            (
                "p",
                "<ul><li><b>Seniors' coffee mornings</b>: a weekly time to chat, learn and "
                "share a snack;</li>"
                "<li><b>Caregiver support</b>: a peer support group for people caring for a "
                "loved one;</li>"
                "<li><b>Parent drop-in</b>: play time for toddlers and conversation for "
                "parents;</li>"
                "<li><b>System navigation</b>: a community worker helps you fill out forms "
                "and find the right services (housing, food assistance, "
                "transportation).</li></ul>",
            ),
            (
                "callout",
                "info",
                "Have an idea?",
                "<p>Many of our programs began as suggestions from the community. Tell us "
                "about your needs and ideas: we are listening.</p>",
            ),
            (
                "question",
                "Is transportation available?",
                "<p>For some activities, we can help people who have no way to get here. Ask "
                "when you register.</p>",
            ),
            ("button", "contact", "Contact us"),
        ],
    },
}

NEWS_VACCINATION = {
    "key": "news_vaccination",
    "type": "NewsPage",
    "common": {"date": datetime.date(2026, 9, 28)},
    "fr": {
        "title": "Cliniques de vaccination contre la grippe et la COVID-19",
        "slug": "cliniques-de-vaccination-automne-2026",
        "search_description": (
            "Dès le 13 octobre, le Centre tient des cliniques de vaccination gratuites contre "
            "la grippe et la COVID-19, sur rendez-vous."
        ),
        "body": [
            (
                "p",
                "<p>La saison des virus respiratoires approche. À compter du mardi "
                "13 octobre, le Centre tiendra des cliniques de vaccination contre la grippe "
                "et la COVID-19 les mardis et les jeudis, jusqu'à la fin de novembre.</p>",
            ),
            ("h2", "Qui peut se faire vacciner?"),
            (
                "p",
                "<p>Le vaccin contre la grippe est gratuit pour toute personne de six mois et "
                "plus qui vit, travaille ou étudie en Ontario. Votre infirmière peut vous dire "
                "si le vaccin contre la COVID-19 est recommandé dans votre cas.</p>",
            ),
            ("h2", "Comment prendre rendez-vous"),
            (
                "p",
                "<p>Téléphonez à l'accueil pour réserver votre place. Vous n'avez pas besoin "
                "d'être client du Centre. Apportez votre carte Santé si vous en avez une et "
                "portez un vêtement qui dégage facilement le haut du bras.</p>",
            ),
            (
                "callout",
                "info",
                "Vous êtes malade?",
                "<p>Si vous faites de la fièvre le jour de votre rendez-vous, restez à la "
                "maison et appelez-nous pour le reporter.</p>",
            ),
            ("button", "contact", "Nous joindre"),
        ],
    },
    "en": {
        "title": "Flu and COVID-19 vaccination clinics",
        "slug": "fall-2026-vaccination-clinics",
        "search_description": (
            "Starting October 13, the Centre is holding free flu and COVID-19 vaccination "
            "clinics, by appointment."
        ),
        "body": [
            (
                "p",
                "<p>Respiratory virus season is on its way. Starting Tuesday, October 13, "
                "the Centre will hold flu and COVID-19 vaccination clinics on Tuesdays and "
                "Thursdays until the end of November.</p>",
            ),
            ("h2", "Who can get vaccinated?"),
            (
                "p",
                "<p>The flu vaccine is free for anyone aged six months and over who lives, "
                "works or goes to school in Ontario. Your nurse can tell you whether the "
                "COVID-19 vaccine is recommended for you.</p>",
            ),
            ("h2", "How to book"),
            (
                "p",
                "<p>Call reception to reserve your spot. You do not need to be a client of "
                "the Centre. Bring your health card if you have one, and wear clothing that "
                "lets you easily uncover your upper arm.</p>",
            ),
            (
                "callout",
                "info",
                "Feeling unwell?",
                "<p>If you have a fever on the day of your appointment, stay home and call us "
                "to reschedule.</p>",
            ),
            ("button", "contact", "Contact us"),
        ],
    },
}

NEWS_CAREGIVERS = {
    "key": "news_caregivers",
    "type": "NewsPage",
    "common": {"date": datetime.date(2026, 10, 20)},
    "fr": {
        "title": "Un nouveau groupe pour les proches aidants",
        "slug": "nouveau-groupe-proches-aidants",
        "search_description": (
            "Vous prenez soin d'un parent, d'un conjoint ou d'un enfant malade? Un nouveau "
            "groupe d'entraide se réunit au Centre un mercredi sur deux."
        ),
        "body": [
            (
                "p",
                "<p>Prendre soin d'une personne qu'on aime est une source de fierté, mais "
                "aussi de fatigue. Pour soutenir les proches aidants de la région, le Centre "
                "lance un groupe d'entraide animé par une travailleuse sociale.</p>",
            ),
            ("h2", "Au programme"),
            (
                "p",
                "<p>Le groupe se réunit un mercredi sur deux, de 13 h 30 à 15 h, à partir du "
                "4 novembre. Chaque rencontre porte sur un thème choisi par les "
                "participants : prévenir l'épuisement, s'y retrouver dans les services à "
                "domicile, parler de ses émotions ou planifier l'avenir.</p>",
            ),
            (
                "p",
                "<p>Si vous ne pouvez pas laisser seule à la maison la personne que vous "
                "aidez, dites-le-nous : nous chercherons une solution avec vous.</p>",
            ),
            (
                "question",
                "Faut-il s'inscrire?",
                "<p>Oui, pour nous permettre de bien préparer les rencontres. Le groupe est "
                "gratuit et limité à douze personnes.</p>",
            ),
            ("button", "community_programs", "Nos programmes communautaires"),
        ],
    },
    "en": {
        "title": "A new support group for caregivers",
        "slug": "new-caregiver-support-group",
        "search_description": (
            "Caring for a parent, a partner or a sick child? A new peer support group meets "
            "at the Centre every other Wednesday."
        ),
        "body": [
            (
                "p",
                "<p>Caring for someone you love brings pride, but also fatigue. To support "
                "caregivers in our region, the Centre is launching a peer support group led "
                "by a social worker.</p>",
            ),
            ("h2", "What to expect"),
            (
                "p",
                "<p>The group meets every other Wednesday from 1:30 to 3 p.m., starting "
                "November 4. Each meeting focuses on a topic chosen by the participants: "
                "preventing burnout, finding your way through home care services, talking "
                "about your feelings or planning for the future.</p>",
            ),
            (
                "p",
                "<p>If you cannot leave the person you care for alone at home, let us know "
                "and we will look for a solution with you.</p>",
            ),
            (
                "question",
                "Do I need to register?",
                "<p>Yes, so that we can prepare each meeting well. The group is free and "
                "limited to twelve people.</p>",
            ),
            ("button", "community_programs", "Our community programs"),
        ],
    },
}

NEWS_WEBSITE = {
    "key": "news_website",
    "type": "NewsPage",
    "common": {"date": datetime.date(2026, 11, 17)},
    "fr": {
        "title": "Notre site Web fait peau neuve",
        "slug": "nouveau-site-web",
        "search_description": (
            "Bilingue, accessible et respectueux de votre vie privée : notre nouveau site "
            "vous aide à trouver plus facilement nos services."
        ),
        "body": [
            (
                "p",
                "<p>Notre site Web a été entièrement repensé pour vous permettre de trouver "
                "plus rapidement l'information dont vous avez besoin, que vous utilisiez un "
                "téléphone, une tablette ou un ordinateur.</p>",
            ),
            ("h2", "Ce qui change"),
            (
                "p",
                "<ul><li>Le site est offert en français et en anglais; vous passez d'une "
                "langue à l'autre en un clic.</li>"
                "<li>Il a été conçu pour respecter les Règles pour l'accessibilité des "
                "contenus Web (WCAG) 2.1, niveau AA, et fonctionne avec les lecteurs "
                "d'écran.</li>"
                "<li>Il mesure son audience sans témoins (cookies) et sans aucun outil de "
                "suivi publicitaire.</li></ul>",
            ),
            (
                "p",
                "<p>Notre avis de confidentialité explique en langage clair quels "
                "renseignements nous recueillons et pourquoi.</p>",
            ),
            ("button", "privacy", "Lire l'avis de confidentialité"),
            (
                "callout",
                "info",
                "Dites-nous ce que vous en pensez",
                "<p>Un lien brisé, une page difficile à lire? Vos commentaires nous aident à "
                "améliorer le site. Écrivez-nous ou téléphonez-nous.</p>",
            ),
            ("button", "contact", "Nous joindre"),
        ],
    },
    "en": {
        "title": "Our website has a new look",
        "slug": "new-website",
        "search_description": (
            "Bilingual, accessible and respectful of your privacy: our new website makes it "
            "easier to find our services."
        ),
        "body": [
            (
                "p",
                "<p>Our website has been completely redesigned to help you find the "
                "information you need faster, whether you use a phone, a tablet or a "
                "computer.</p>",
            ),
            ("h2", "What's new"),
            (
                "p",
                "<ul><li>The site is available in French and English; you can switch from "
                "one language to the other in one click.</li>"
                "<li>It was designed to meet the Web Content Accessibility Guidelines (WCAG) "
                "2.1, level AA, and works with screen readers.</li>"
                "<li>It measures its audience without cookies and without any advertising "
                "trackers.</li></ul>",
            ),
            (
                "p",
                "<p>Our privacy notice explains in plain language what information we collect "
                "and why.</p>",
            ),
            ("button", "privacy", "Read the privacy notice"),
            (
                "callout",
                "info",
                "Tell us what you think",
                "<p>A broken link, or a page that is hard to read? Your feedback helps us "
                "improve the site. Write to us or give us a call.</p>",
            ),
            ("button", "contact", "Contact us"),
        ],
    },
}

ABOUT = {
    "key": "about",
    "type": "StandardPage",
    "common": {"show_in_menus": True},
    "fr": {
        "title": "À propos",
        "slug": "a-propos",
        "search_description": (
            "Qui nous sommes, ce qui nous guide et comment nous travaillons avec la "
            "communauté francophone de l'Est ontarien."
        ),
        "body": [
            ("h2", "Qui nous sommes"),
            (
                "p",
                "<p>Le Centre de santé communautaire de l'Estrie (CSCE) est un centre de santé "
                "communautaire francophone de l'Est ontarien. Nous réunissons sous un même "
                "toit des médecins, des infirmières et infirmiers praticiens, du personnel "
                "infirmier, des travailleuses et travailleurs sociaux, des diététistes et des "
                "intervenants communautaires.</p>",
            ),
            (
                "p",
                "<p>Comme tous les centres de santé communautaire de l'Ontario, nous sommes "
                "un organisme sans but lucratif, financé principalement par le gouvernement "
                "de l'Ontario et dirigé par un conseil d'administration formé de membres de "
                "la communauté.</p>",
            ),
            ("h2", "Notre approche"),
            (
                "p",
                "<p>Nous tenons compte de tout ce qui influence votre santé : votre situation "
                "familiale, votre revenu, votre logement, votre milieu de travail ou "
                "d'études. C'est pourquoi nos soins vont de pair avec des programmes de "
                "prévention et des activités qui renforcent les liens dans la "
                "communauté.</p>",
            ),
            ("h3", "Nos valeurs"),
            (
                "p",
                "<ul><li><b>Le respect</b> : chaque personne est accueillie telle qu'elle "
                "est, sans jugement.</li>"
                "<li><b>L'accessibilité</b> : nous réduisons les obstacles, qu'ils soient "
                "financiers, linguistiques ou physiques.</li>"
                "<li><b>La collaboration</b> : nous travaillons avec vous, avec vos proches "
                "et avec nos partenaires.</li>"
                "<li><b>La confidentialité</b> : vos renseignements personnels sont "
                "protégés.</li></ul>",
            ),
            ("h2", "Servir en français"),
            (
                "p",
                "<p>Le français est notre langue de travail et d'accueil. Nous offrons nos "
                "services en français à toute personne qui le souhaite, et nous faisons tout "
                "notre possible pour servir en anglais les personnes qui ne parlent pas "
                "français.</p>",
            ),
            (
                "question",
                "Dois-je parler français pour recevoir des services?",
                "<p>Non. Notre équipe accueille aussi les personnes anglophones. Si vous "
                "préférez une autre langue, dites-le-nous au moment de prendre rendez-vous : "
                "nous pouvons faire appel à un interprète.</p>",
            ),
            (
                "question",
                "Qui peut recevoir des services du Centre?",
                "<p>Toute personne qui habite notre région peut communiquer avec nous. "
                "Certains services, comme les soins primaires, sont réservés aux personnes "
                "inscrites au Centre; d'autres, comme les ateliers et les activités "
                "communautaires, sont ouverts à tous.</p>",
            ),
            ("button", "contact", "Nous joindre"),
        ],
    },
    "en": {
        "title": "About",
        "slug": "about",
        "search_description": (
            "Who we are, what guides us and how we work with the French-speaking community "
            "of Eastern Ontario."
        ),
        "body": [
            ("h2", "Who we are"),
            (
                "p",
                "<p>The Centre de santé communautaire de l'Estrie (CSCE) is a French-language "
                "community health centre in Eastern Ontario. Under one roof, we bring "
                "together physicians, nurse practitioners, nurses, social workers, dietitians "
                "and community workers.</p>",
            ),
            (
                "p",
                "<p>Like every community health centre in Ontario, we are a not-for-profit "
                "organization, funded mainly by the Government of Ontario and governed by a "
                "board of directors made up of community members.</p>",
            ),
            ("h2", "Our approach"),
            (
                "p",
                "<p>We take into account everything that affects your health: your family "
                "situation, your income, your housing, and where you work or study. That is "
                "why our care goes hand in hand with prevention programs and activities that "
                "strengthen ties within the community.</p>",
            ),
            ("h3", "Our values"),
            (
                "p",
                "<ul><li><b>Respect</b>: everyone is welcomed as they are, without "
                "judgment.</li>"
                "<li><b>Accessibility</b>: we remove barriers, whether financial, linguistic "
                "or physical.</li>"
                "<li><b>Collaboration</b>: we work with you, with your loved ones and with "
                "our partners.</li>"
                "<li><b>Confidentiality</b>: your personal information is protected.</li></ul>",
            ),
            ("h2", "Serving you in French"),
            (
                "p",
                "<p>French is the language in which we work and welcome people. We offer our "
                "services in French to anyone who wishes, and we do our very best to serve "
                "people who do not speak French in English.</p>",
            ),
            (
                "question",
                "Do I need to speak French to receive services?",
                "<p>No. Our team also welcomes English-speaking people. If you prefer another "
                "language, let us know when you book your appointment: we can arrange for an "
                "interpreter.</p>",
            ),
            (
                "question",
                "Who can receive services from the Centre?",
                "<p>Anyone who lives in our region can contact us. Some services, such as "
                "primary care, are for people registered with the Centre; others, such as "
                "workshops and community activities, are open to everyone.</p>",
            ),
            ("button", "contact", "Contact us"),
        ],
    },
}

SERVICES = {
    "key": "services",
    "type": "ServiceIndexPage",
    "common": {"show_in_menus": True},
    "fr": {
        "title": "Nos services",
        "slug": "services",
        "search_description": (
            "Soins primaires, promotion de la santé, santé mentale et programmes "
            "communautaires : découvrez comment le Centre peut vous aider."
        ),
        "intro": (
            "<p>Tous nos services sont offerts en français, dans un milieu accueillant et "
            "confidentiel. Choisissez un service pour savoir à qui il s'adresse, comment y "
            "avoir accès et ce qu'il coûte.</p>"
        ),
    },
    "en": {
        "title": "Our services",
        "slug": "services",
        "search_description": (
            "Primary care, health promotion, mental health and community programs: find out "
            "how the Centre can help you."
        ),
        "intro": (
            "<p>All our services are offered in French, in a welcoming and confidential "
            "setting. Choose a service to find out who it is for, how to access it and what "
            "it costs.</p>"
        ),
    },
    "children": [PRIMARY_CARE, HEALTH_PROMOTION, MENTAL_HEALTH, COMMUNITY_PROGRAMS],
}

NEWS = {
    "key": "news",
    "type": "NewsIndexPage",
    "common": {"show_in_menus": True},
    "fr": {
        "title": "Nouvelles",
        "slug": "nouvelles",
        "search_description": (
            "Les dernières nouvelles du Centre : programmes, cliniques, activités et "
            "changements à nos services."
        ),
        "intro": (
            "<p>Restez au courant de ce qui se passe au Centre : nouvelles activités, "
            "cliniques saisonnières et changements à nos heures d'ouverture.</p>"
        ),
    },
    "en": {
        "title": "News",
        "slug": "news",
        "search_description": (
            "The latest news from the Centre: programs, clinics, activities and changes to "
            "our services."
        ),
        "intro": (
            "<p>Stay up to date with what is happening at the Centre: new activities, "
            "seasonal clinics and changes to our opening hours.</p>"
        ),
    },
    "children": [NEWS_VACCINATION, NEWS_CAREGIVERS, NEWS_WEBSITE],
}

CONTACT = {
    "key": "contact",
    "type": "ContactPage",
    "common": {"show_in_menus": True},
    "fr": {
        "title": "Nous joindre",
        "slug": "nous-joindre",
        "search_description": (
            "Comment joindre le Centre : téléphone, visite, interprètes, accessibilité de "
            "l'édifice et ressources en cas d'urgence."
        ),
        "intro": (
            "<p>Notre équipe d'accueil répond à vos questions, prend vos rendez-vous et vous "
            "oriente vers le bon service. Notre adresse, notre numéro de téléphone et nos "
            "heures d'ouverture figurent sur cette page.</p>"
        ),
        "body": [
            ("h2", "Nous téléphoner ou nous rendre visite"),
            (
                "p",
                "<p>Le moyen le plus simple de nous joindre est de téléphoner pendant nos "
                "heures d'ouverture. Vous pouvez aussi vous présenter à l'accueil : nous vous "
                "recevrons dès que possible, mais un rendez-vous vous évitera d'attendre.</p>",
            ),
            (
                "p",
                "<p>Si vous nous écrivez, n'incluez pas de renseignements détaillés sur votre "
                "santé dans votre message. Nous vous rappellerons pour en discuter en toute "
                "confidentialité.</p>",
            ),
            ("h2", "Services d'interprétation"),
            (
                "p",
                "<p>Nous servons la population en français et en anglais. Si vous préférez "
                "une autre langue, ou si vous avez besoin d'un interprète en langue des signes "
                "(LSQ ou ASL), dites-le-nous au moment de prendre rendez-vous : nous "
                "prendrons les arrangements nécessaires, sans frais pour vous.</p>",
            ),
            ("h2", "Accessibilité de l'édifice"),
            (
                "p",
                "<p>Notre édifice est accessible en fauteuil roulant : l'entrée principale est "
                "de plain-pied et munie de portes automatiques, et toutes nos salles sont au "
                "rez-de-chaussée ou desservies par un ascenseur. Des places de stationnement "
                "réservées se trouvent près de l'entrée, et des toilettes accessibles, près "
                "de l'accueil.</p>",
            ),
            (
                "p",
                "<p>Les animaux d'assistance sont les bienvenus. Si vous avez d'autres "
                "besoins, prévenez-nous avant votre visite.</p>",
            ),
            (
                "callout",
                "important",
                "En cas d'urgence",
                "<p>Le Centre n'offre pas de services d'urgence. En cas d'urgence, composez "
                "le <b>911</b> ou rendez-vous à l'urgence de l'hôpital le plus proche.</p>"
                "<p>Pour un conseil de santé à toute heure, appelez <b>Santé811</b> en "
                "composant le 811 : une infirmière ou un infirmier vous répondra "
                "gratuitement, en français ou en anglais. Si vous êtes en crise ou pensez au "
                "suicide, appelez ou textez le <b>988</b>.</p>",
            ),
            (
                "question",
                "Puis-je vous joindre en dehors des heures d'ouverture?",
                "<p>Notre boîte vocale est écoutée chaque jour ouvrable. Laissez votre nom et "
                "votre numéro de téléphone : nous vous rappellerons le plus tôt possible. "
                "Pour un problème de santé qui ne peut pas attendre, appelez Santé811.</p>",
            ),
        ],
    },
    "en": {
        "title": "Contact us",
        "slug": "contact",
        "search_description": (
            "How to reach the Centre: phone, visits, interpreters, building accessibility and "
            "where to turn in an emergency."
        ),
        "intro": (
            "<p>Our reception team answers your questions, books your appointments and "
            "directs you to the right service. Our address, phone number and opening hours "
            "appear on this page.</p>"
        ),
        "body": [
            ("h2", "Call or visit us"),
            (
                "p",
                "<p>The easiest way to reach us is to call during opening hours. You can also "
                "drop by reception: we will see you as soon as we can, but booking an "
                "appointment will save you a wait.</p>",
            ),
            (
                "p",
                "<p>If you write to us, please do not include detailed health information in "
                "your message. We will call you back to discuss it in confidence.</p>",
            ),
            ("h2", "Interpretation services"),
            (
                "p",
                "<p>We serve the public in French and English. If you prefer another language "
                "or need a sign language interpreter (ASL or LSQ), let us know when you book "
                "your appointment: we will make the arrangements, at no cost to you.</p>",
            ),
            ("h2", "Building accessibility"),
            (
                "p",
                "<p>Our building is wheelchair accessible: the main entrance is level, with "
                "automatic doors, and all our rooms are on the ground floor or served by an "
                "elevator. Reserved parking spaces are near the entrance, and accessible "
                "washrooms are next to reception.</p>",
            ),
            (
                "p",
                "<p>Service animals are welcome. If you have other needs, let us know before "
                "your visit.</p>",
            ),
            (
                "callout",
                "important",
                "In an emergency",
                "<p>The Centre does not provide emergency services. In an emergency, call "
                "<b>911</b> or go to the nearest hospital emergency department.</p>"
                "<p>For health advice at any hour, call <b>Health811</b> by dialling 811: a "
                "registered nurse will answer free of charge, in English or French. If you "
                "are in crisis or thinking about suicide, call or text <b>988</b>.</p>",
            ),
            (
                "question",
                "Can I reach you outside opening hours?",
                "<p>Our voicemail is checked every business day. Leave your name and phone "
                "number and we will call you back as soon as possible. For a health problem "
                "that cannot wait, call Health811.</p>",
            ),
        ],
    },
}

ACCESSIBILITY = {
    "key": "accessibility",
    "type": "StandardPage",
    "fr": {
        "title": "Déclaration d'accessibilité",
        "slug": "accessibilite",
        "search_description": (
            "Notre engagement envers un site Web accessible à tous, conforme aux règles WCAG "
            "2.1 de niveau AA, et comment obtenir nos renseignements dans un autre format."
        ),
        "body": [
            (
                "p",
                "<p>Le Centre de santé communautaire de l'Estrie veut que chaque personne "
                "puisse consulter son site Web et utiliser ses services en ligne, quels que "
                "soient son handicap ou la technologie qu'elle utilise.</p>",
            ),
            ("h2", "Notre engagement"),
            (
                "p",
                "<p>Conformément à la <i>Loi de 2005 sur l'accessibilité pour les personnes "
                "handicapées de l'Ontario</i> (LAPHO), notre site vise la conformité aux "
                "Règles pour l'accessibilité des contenus Web (WCAG) 2.1, niveau AA. Entre "
                "autres, le site :</p>"
                "<ul><li>s'utilise au clavier et avec les lecteurs d'écran;</li>"
                "<li>présente des textes aux couleurs suffisamment contrastées;</li>"
                "<li>s'adapte aux petits écrans et à l'agrandissement du texte;</li>"
                "<li>décrit en mots les images qui transmettent de l'information;</li>"
                "<li>fonctionne même lorsque JavaScript est désactivé.</li></ul>",
            ),
            ("h2", "Limites connues"),
            (
                "p",
                "<p>Certains documents plus anciens, en particulier des fichiers PDF, ne sont "
                "peut-être pas entièrement accessibles. Nous les remplaçons progressivement. "
                "Si l'un d'eux vous pose problème, nous vous le fournirons dans un autre "
                "format.</p>",
            ),
            ("h2", "Obtenir un autre format"),
            (
                "p",
                "<p>Sur demande, nous fournissons nos documents et nos renseignements en "
                "formats accessibles : gros caractères, texte simple, lecture au téléphone ou "
                "fichier compatible avec votre lecteur d'écran. Ce service est gratuit.</p>",
            ),
            (
                "callout",
                "info",
                "Vos commentaires",
                "<p>Vous avez éprouvé une difficulté sur notre site ou dans nos locaux? "
                "Dites-le-nous par téléphone, par écrit ou en personne. Précisez la page ou "
                "le document en cause et, si vous le souhaitez, la technologie que vous "
                "utilisez. Nous vous répondrons et vous dirons ce que nous ferons pour "
                "corriger la situation.</p>",
            ),
            ("button", "contact", "Nous joindre"),
        ],
    },
    "en": {
        "title": "Accessibility statement",
        "slug": "accessibility",
        "search_description": (
            "Our commitment to a website that everyone can use, meeting WCAG 2.1 level AA, "
            "and how to get our information in another format."
        ),
        "body": [
            (
                "p",
                "<p>The Centre de santé communautaire de l'Estrie wants everyone to be able to "
                "use its website and online services, whatever their disability or the "
                "technology they use.</p>",
            ),
            ("h2", "Our commitment"),
            (
                "p",
                "<p>In keeping with the <i>Accessibility for Ontarians with Disabilities Act, "
                "2005</i> (AODA), our website aims to conform to the Web Content "
                "Accessibility Guidelines (WCAG) 2.1, level AA. Among other things, the "
                "site:</p>"
                "<ul><li>works with a keyboard and with screen readers;</li>"
                "<li>uses text colours with enough contrast;</li>"
                "<li>adapts to small screens and enlarged text;</li>"
                "<li>describes in words the images that convey information;</li>"
                "<li>works even when JavaScript is turned off.</li></ul>",
            ),
            ("h2", "Known limitations"),
            (
                "p",
                "<p>Some older documents, especially PDF files, may not be fully accessible. "
                "We are replacing them gradually. If one of them causes you difficulty, we "
                "will provide it in another format.</p>",
            ),
            ("h2", "Getting another format"),
            (
                "p",
                "<p>On request, we provide our documents and information in accessible "
                "formats: large print, plain text, read aloud over the phone, or a file that "
                "works with your screen reader. This service is free.</p>",
            ),
            (
                "callout",
                "info",
                "Your feedback",
                "<p>Did you run into a problem on our website or in our building? Let us know "
                "by phone, in writing or in person. Tell us which page or document is "
                "involved and, if you wish, the technology you use. We will get back to you "
                "and tell you what we will do to fix the problem.</p>",
            ),
            ("button", "contact", "Contact us"),
        ],
    },
}

ACCEPTABLE_USE = {
    "key": "acceptable_use",
    "type": "StandardPage",
    "fr": {
        "title": "Utilisation acceptable",
        "slug": "utilisation-acceptable",
        "search_description": (
            "Les règles à respecter sur notre site Web et nos comptes de médias sociaux, et "
            "comment nous signaler un contenu inapproprié."
        ),
        "body": [
            (
                "p",
                "<p>Notre site Web et nos comptes de médias sociaux (Facebook, Instagram, X et "
                "autres) sont des lieux d'échange pour toute la communauté. Pour qu'ils "
                "demeurent accueillants et sûrs, nous demandons à chaque personne qui les "
                "utilise de respecter les règles suivantes.</p>",
            ),
            ("h2", "Ce qui est interdit"),
            (
                "p",
                "<p>Il est notamment interdit :</p>"
                "<ul><li>de harceler, d'intimider ou de menacer qui que ce soit;</li>"
                "<li>de tenir des propos discriminatoires, haineux ou méprisants, entre "
                "autres en raison de l'origine, de la langue, de la religion, du sexe, de "
                "l'identité de genre, de l'orientation sexuelle, de l'âge ou d'un "
                "handicap;</li>"
                "<li>de diffamer une personne ou un organisme, c'est-à-dire de nuire à sa "
                "réputation par des propos faux ou injurieux;</li>"
                "<li>d'envoyer des pourriels ou de la publicité non sollicitée;</li>"
                "<li>de diffuser du contenu malveillant : virus, liens trompeurs, tentatives "
                "d'hameçonnage ou tout ce qui vise à nuire aux appareils ou aux données "
                "d'autrui.</li></ul>",
            ),
            ("h2", "Protégez votre vie privée"),
            (
                "p",
                "<p>Les commentaires publiés sur les médias sociaux sont publics. N'y donnez "
                "jamais de renseignements sur votre santé ni sur celle d'une autre personne. "
                "Pour une question personnelle, communiquez directement avec nous.</p>",
            ),
            ("h2", "Ce que le Centre peut faire"),
            (
                "p",
                "<p>Le Centre peut masquer, modifier ou supprimer tout contenu qui enfreint "
                "ces règles ou qui présente un risque pour sa sécurité, pour sa réputation ou "
                "pour les personnes qui utilisent ses plateformes.</p>",
            ),
            ("h2", "Signaler un problème"),
            (
                "p",
                "<p>Vous avez vu un contenu inapproprié ou un comportement suspect sur notre "
                "site ou sur l'un de nos comptes? Signalez-le à nos administrateurs en "
                "précisant où il se trouve (adresse de la page ou lien vers la publication). "
                "Nous examinerons votre signalement rapidement.</p>",
            ),
            (
                "callout",
                "important",
                "Nos comptes ne sont pas surveillés en tout temps",
                "<p>Ne nous écrivez pas sur les médias sociaux en cas d'urgence : composez le "
                "<b>911</b>. Pour un conseil de santé, appelez Santé811 au 811.</p>",
            ),
            ("button", "contact", "Signaler un problème"),
        ],
    },
    "en": {
        "title": "Acceptable use",
        "slug": "acceptable-use",
        "search_description": (
            "The rules for using our website and social media accounts, and how to report "
            "inappropriate content to us."
        ),
        "body": [
            (
                "p",
                "<p>Our website and social media accounts (Facebook, Instagram, X and others) "
                "are places for the whole community to connect. To keep them welcoming and "
                "safe, we ask everyone who uses them to follow these rules.</p>",
            ),
            ("h2", "What is not allowed"),
            (
                "p",
                "<p>In particular, you may not:</p>"
                "<ul><li>harass, intimidate or threaten anyone;</li>"
                "<li>post discriminatory, hateful or contemptuous remarks, including on the "
                "basis of origin, language, religion, sex, gender identity, sexual "
                "orientation, age or disability;</li>"
                "<li>defame a person or an organization, that is, harm their reputation with "
                "false or abusive statements;</li>"
                "<li>send spam or unsolicited advertising;</li>"
                "<li>spread malicious content: viruses, misleading links, phishing attempts "
                "or anything meant to harm other people's devices or data.</li></ul>",
            ),
            ("h2", "Protect your privacy"),
            (
                "p",
                "<p>Comments posted on social media are public. Never share information about "
                "your health, or anyone else's, there. For a personal question, contact us "
                "directly.</p>",
            ),
            ("h2", "What the Centre may do"),
            (
                "p",
                "<p>The Centre may hide, edit or delete any content that breaks these rules "
                "or poses a risk to its security, to its reputation or to the people who use "
                "its platforms.</p>",
            ),
            ("h2", "Report a concern"),
            (
                "p",
                "<p>Have you seen inappropriate content or suspicious behaviour on our "
                "website or one of our accounts? Report it to our administrators, telling us "
                "where it is (the page address or a link to the post). We will look into "
                "your report promptly.</p>",
            ),
            (
                "callout",
                "important",
                "Our accounts are not monitored at all times",
                "<p>Do not contact us on social media in an emergency: call <b>911</b>. For "
                "health advice, call Health811 at 811.</p>",
            ),
            ("button", "contact", "Report a concern"),
        ],
    },
}

PRIVACY = {
    "key": "privacy",
    "type": "PrivacyNoticePage",
    # Says only what the system does (csce/common/notice_rules.py): what is collected, kept,
    # shared and the Privacy Officer's address are in the sections generated below it.
    "fr": {
        "title": "Avis de confidentialité",
        "slug": "avis-de-confidentialite",
        "search_description": (
            "Comment le Centre recueille, utilise, protège et partage les renseignements "
            "personnels des personnes qui utilisent ses plateformes en ligne, et comment "
            "exercer vos droits."
        ),
        "body": [
            (
                "p",
                "<p>Le Centre de santé communautaire de l'Estrie (CSCE) prend la protection de "
                "vos renseignements personnels au sérieux. Cet avis explique comment nous "
                "recueillons, conservons, utilisons et partageons vos renseignements lorsque "
                "vous visitez notre site Web et lorsque vous communiquez avec nous par ses "
                "formulaires.</p>"
                "<p>Les sections qui suivent ce texte sont produites par notre site lui-même, "
                "à partir de ce qu'il fait réellement : les renseignements que chaque "
                "formulaire recueille, pourquoi, qui les voit, combien de temps nous les "
                "gardons, les tiers qui en reçoivent et la façon d'exercer vos droits. Si ce "
                "texte et ces sections diffèrent, ce sont ces sections qui s'appliquent.</p>",
            ),
            ("h2", "Les renseignements que vous nous donnez"),
            (
                "p",
                "<p>Nous recueillons seulement ce que vous écrivez dans nos formulaires, par "
                "exemple lorsque vous nous posez une question ou vous inscrivez à un "
                "programme. Chaque formulaire indique à quoi serviront les renseignements "
                "demandés.</p>",
            ),
            ("h2", "Les renseignements recueillis automatiquement"),
            (
                "p",
                "<p>Notre audience est mesurée directement sur notre site, sans témoins "
                "(cookies) et sans outil de suivi publicitaire ni de réseau social. Nous ne "
                "conservons jamais votre adresse IP complète.</p>",
            ),
            ("h2", "Les renseignements sensibles et les renseignements sur la santé"),
            (
                "p",
                "<p>Un formulaire qui demande des renseignements sur votre santé vous explique "
                "à quoi ils serviront et vous demande d'abord votre consentement "
                "explicite.</p>",
            ),
            ("h2", "Comment nous protégeons vos renseignements"),
            (
                "p",
                "<p>Les renseignements personnels reçus par notre site sont chiffrés dans "
                "notre base de données. Seuls les membres du personnel dont le rôle l'exige "
                "y ont accès, après une connexion en deux étapes, et chaque consultation est "
                "consignée. Nous ne vendons jamais vos renseignements.</p>",
            ),
            ("h2", "Mises à jour de cet avis"),
            (
                "p",
                "<p>La date de la dernière mise à jour de cet avis figure en haut de la page, "
                "et ses versions antérieures restent consultables.</p>",
            ),
        ],
    },
    "en": {
        "title": "Privacy notice",
        "slug": "privacy-notice",
        "search_description": (
            "How the Centre collects, uses, protects and shares the personal information of "
            "people who use its online platforms, and how to exercise your rights."
        ),
        "body": [
            (
                "p",
                "<p>The Centre de santé communautaire de l'Estrie (CSCE) takes the protection "
                "of your personal information seriously. This notice explains how we collect, "
                "store, use and share your information when you visit our website and when "
                "you contact us through its forms.</p>"
                "<p>The sections that follow this text are produced by our website itself, "
                "from what it really does: what each form collects, why, who sees it, how "
                "long we keep it, the third parties who receive any of it and how to exercise "
                "your rights. Where this text and those sections differ, the sections "
                "apply.</p>",
            ),
            ("h2", "Information you give us"),
            (
                "p",
                "<p>We collect only what you write in our forms, for example when you ask us "
                "a question or register for a program. Each form tells you what the "
                "information it asks for will be used for.</p>",
            ),
            ("h2", "Information collected automatically"),
            (
                "p",
                "<p>Our audience is measured directly on our own website, without cookies "
                "and without any advertising or social media tracker. We never store your "
                "full IP address.</p>",
            ),
            ("h2", "Sensitive and health information"),
            (
                "p",
                "<p>A form that asks about your health explains what the information will be "
                "used for and first asks for your explicit consent.</p>",
            ),
            ("h2", "How we protect your information"),
            (
                "p",
                "<p>The personal information our website receives is encrypted in our "
                "database. Only staff members whose role requires it can see it, after a "
                "two-step sign-in, and each time they do is logged. We never sell your "
                "information.</p>",
            ),
            ("h2", "Updates to this notice"),
            (
                "p",
                "<p>The date this notice was last updated appears at the top of the page, "
                "and its earlier versions remain available.</p>",
            ),
        ],
    },
}

SITE = {
    "key": "home",
    "type": "HomePage",
    "links": {"hero_link": "services"},
    "fr": {
        "title": "Accueil",
        "slug": "accueil",
        "search_description": (
            "Le Centre de santé communautaire de l'Estrie offre des soins primaires, des "
            "programmes de promotion de la santé et du soutien en santé mentale, en "
            "français, dans l'Est ontarien."
        ),
        "hero_title": "Des soins de santé en français, près de chez vous",
        "hero_text": (
            "Médecins, infirmières et infirmiers praticiens, intervenants et diététistes : "
            "notre équipe vous accompagne à chaque étape de la vie, dans un milieu "
            "accueillant, respectueux et confidentiel. La plupart de nos services sont "
            "gratuits."
        ),
        "hero_link_label": "Découvrir nos services",
        "body": [
            ("h2", "Un centre de santé pour toute la communauté"),
            (
                "p",
                "<p>Le Centre de santé communautaire de l'Estrie est un organisme sans but "
                "lucratif qui offre des soins de santé et des services sociaux aux personnes "
                "de tous âges. Pour nous, la santé, c'est bien plus que l'absence de "
                "maladie : c'est aussi un logement sûr, une alimentation saine, des liens avec "
                "les autres et le droit d'être servi dans sa langue.</p>",
            ),
            (
                "p",
                "<p>Vous cherchez un médecin de famille ou une infirmière praticienne? Vous "
                "voulez cesser de fumer, mieux vivre avec le diabète ou simplement parler à "
                "quelqu'un? Nous sommes là pour vous.</p>",
            ),
            (
                "callout",
                "important",
                "En cas d'urgence",
                "<p>Composez le <b>911</b> ou rendez-vous à l'urgence la plus proche. Pour "
                "parler à une infirmière ou à un infirmier à toute heure du jour ou de la "
                "nuit, appelez <b>Santé811</b> en composant le 811.</p>",
            ),
            ("button", "contact", "Nous joindre"),
        ],
    },
    "en": {
        "title": "Home",
        "slug": "home",
        "search_description": (
            "The Centre de santé communautaire de l'Estrie offers primary care, health "
            "promotion programs and mental health support in French, in Eastern Ontario."
        ),
        "hero_title": "Health care in French, close to home",
        "hero_text": (
            "Doctors, nurse practitioners, counsellors and dietitians: our team is with you "
            "at every stage of life, in a welcoming, respectful and confidential setting. "
            "Most of our services are free."
        ),
        "hero_link_label": "Explore our services",
        "body": [
            ("h2", "A health centre for the whole community"),
            (
                "p",
                "<p>The Centre de santé communautaire de l'Estrie is a not-for-profit "
                "organization offering health care and social services to people of all "
                "ages. For us, health is much more than the absence of illness: it also means "
                "safe housing, healthy food, connections with others and the right to be "
                "served in your own language.</p>",
            ),
            (
                "p",
                "<p>Looking for a family doctor or a nurse practitioner? Want to quit smoking, "
                "live better with diabetes, or simply talk to someone? We are here for "
                "you.</p>",
            ),
            (
                "callout",
                "important",
                "In an emergency",
                "<p>Call <b>911</b> or go to the nearest emergency department. To speak with "
                "a registered nurse at any hour of the day or night, call <b>Health811</b> by "
                "dialling 811.</p>",
            ),
            ("button", "contact", "Contact us"),
        ],
    },
    # Tree order is menu order: About, Services, News, Contact, then the footer pages.
    "children": [ABOUT, SERVICES, NEWS, CONTACT, ACCESSIBILITY, ACCEPTABLE_USE, PRIVACY],
}
