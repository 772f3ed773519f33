# ruff: noqa: E501 (the policy's paragraphs are kept as single lines)
"""Version 1 of the CSCE online-property policy, as the data migration creates it.

The English text is the centre's source document (``policy/online-property-policy.txt``),
kept as written, without the "Skip to content" line that the web page it was copied from
appended. The French text is a faithful translation. Later versions are written in the
admin, never here.
"""

VERSION_LABEL = "1"
SUMMARY_EN = "First version of the policy in the staff back office."
SUMMARY_FR = "Première version de la politique dans l’administration du personnel."

BODY_EN = """\
CSCE Online Property Web Page

Policy – CSCE Online Property Web Page


  1. This policy aims to establish guidelines and procedures for the management, use, and security of Centre de santé communautaire de l’Estrie “CSCE” online properties, including the website and social media accounts such as Facebook, Instagram, X, etc.
  2. CSCE is committed to ensure consistency, professionalism, and compliance with relevant laws and regulations in all online communications and interactions representing the organization.
  3. The Community Health Center must ensure that it issues a privacy notice that describes how and why it could collect, store, use and/or share (“process”) the personal information of users of its platforms on the Web (“Online Properties” and/or “Services”), for example when they:
    • Visit the CSCE website at
    • Communicate with CSCE online through other related means, including making inquiries, registering and/or accessing services, receiving promotional communications, or responding to online surveys.
  4. When a person uses or browses CSCE’s online properties and services, it is possible that personal information may be collected, including, but not limited to, name, contact details, location, and/or IP address, depending on how the user interacts with CSCE and the services, the choices they make, and the products and features they use.
  5. Certain information, such as the Internet Protocol (IP) address and/or user device browser characteristics (e.g., Google, Edge, etc.), is automatically collected when the user visits CSCE online properties.
  6. As a healthcare organization, CSCE may process sensitive personal information as well as personal health information as part of its normal activities. It does so only with consent or as otherwise authorized by applicable law.
  7. CSCE processes user information online to provide, improve, and administer its services, communicate with its users, for security and fraud prevention, and to inform them of the law. CSCE may also process user information for other purposes with their consent. CSCE may process user information when there is a valid legal reason to do so.
  8. CSCE has implemented organizational and technical processes and procedures to protect the personal information of its users. However, no electronic transmission over the Internet or information storage technology can be guaranteed to be 100% secure. Therefore, CSCE cannot guarantee that hackers, cybercriminals, or other unauthorized third parties will not be able to defeat our security and collect, inappropriately access, steal, or modify information on various platforms used. If a privacy breach is detected, it will be reported to the concerned web users as soon as possible.
  9. All CSCE web users have privacy rights established by the Canadian privacy protection legislation. Individuals who share personal health information with CSCE through our website or other online properties also benefit from legal protections under the Ontario Personal Health Information Protection Act (2014). Users have the right to control when and how their information is used.
  10. The easiest way to exercise user rights is to contact the Privacy Officer at CSCE ([email protected]). CSCE will review and act upon any request in accordance with applicable privacy laws.


  • This policy applies to all employees, contractors, interns, and volunteers involved in the creation, management, or use of the organization’s online properties.


  1. Ownership and liability:
    • CSCE owns all online properties associated with its brand and mission.
    • The Assistant Executive Director is responsible for the overall management and administration of online properties.
  2. Content management:
    • Content published on the organization’s online properties must align with its vision, mission, values, and goals.
    • Content creators must ensure accuracy, relevance, and professionalism in all communications.
    • All content must comply with copyright laws and respect intellectual property rights.
  3. Confidentiality:
    • Personal data collected via online properties must be processed in accordance with applicable privacy laws and CSCE’s privacy policies.
    • Only employees who need the information to perform their work will have access to the data collected through the CSCE website.
    • CSCE ensures that users are informed about data collection practices and their rights regarding their personal information.
    • The user’s data will not be sold to a third party.
    • The user’s web data will be shared with third parties only when necessary for CSCE to carry out its work, such as with a web analytics service and the company hosting CSCE’s webpage.
  4. Security measures and data protection:
    • Robust security measures are in place to protect online properties against unauthorized access, data breaches, and cyber threats.
    • The employee responsible for communications deletes all confidential data received through the website.
    • The company hosting CSCE’s website deletes collected data every three months.
    • Annual security audits and updates are conducted to identify and address vulnerabilities.
    • Employees managing online properties must adhere to password management and authentication protocols to prevent unauthorized access.
  5. Conduct of users of the CSCE webpage and social media accounts:
    • Users who interact with the organization’s online properties must follow acceptable use guidelines.
    • Prohibited activities include, but are not limited to, harassment, discrimination, defamation, spam, and the dissemination of malicious content.
    • Users are encouraged to report any inappropriate or suspicious behaviour to designated administrators.

Roles and responsibilities

  1. Assistant Executive Director:
    • Ensure the supervision of all online properties.
    • Ensure compliance with this policy and relevant regulations.
    • Provide guidance and support to content creators and administrators.
  2. Content Creators/Administrators:
    • Develop and publish content in accordance with CSCE guidelines and standards.
    • Monitor the user’s engagement and respond promptly to requests or comments.
    • Report any security incidents or policy violations to the Executive Director or Assistant Executive Director.

Compliance and Application:

  1. Failure to comply with this policy may result in disciplinary actions, including termination of employment or contract termination.
  2. CSCE reserves the right to delete or modify any content that violates this policy or poses a risk to its reputation or security.


  • This policy must be periodically reviewed to ensure its effectiveness and relevance. Changes may be made as needed to reflect technological, regulatory, or CSCE’s needs.
"""

BODY_FR = """\
Politique – Propriétés en ligne du CSCE

Politique – Page Web des propriétés en ligne du CSCE


  1. Cette politique vise à établir les lignes directrices et les procédures de gestion, d’utilisation et de sécurité des propriétés en ligne du Centre de santé communautaire de l’Estrie « CSCE », y compris le site Web et les comptes de médias sociaux tels que Facebook, Instagram, X, etc.
  2. Le CSCE s’engage à assurer la cohérence, le professionnalisme et la conformité aux lois et règlements applicables dans toutes les communications et interactions en ligne qui représentent l’organisme.
  3. Le Centre de santé communautaire doit s’assurer de publier un avis de confidentialité qui décrit comment et pourquoi il peut recueillir, conserver, utiliser ou communiquer (« traiter ») les renseignements personnels des utilisateurs de ses plateformes sur le Web (les « propriétés en ligne » ou les « services »), par exemple lorsqu’ils :
    • visitent le site Web du CSCE à
    • communiquent avec le CSCE en ligne par d’autres moyens connexes, notamment pour faire une demande de renseignements, s’inscrire à des services ou y accéder, recevoir des communications promotionnelles ou répondre à des sondages en ligne.
  4. Lorsqu’une personne utilise ou consulte les propriétés et services en ligne du CSCE, il est possible que des renseignements personnels soient recueillis, notamment, mais sans s’y limiter, son nom, ses coordonnées, sa localisation ou son adresse IP, selon la façon dont l’utilisateur interagit avec le CSCE et ses services, les choix qu’il fait et les produits et fonctionnalités qu’il utilise.
  5. Certains renseignements, comme l’adresse de protocole Internet (IP) ou les caractéristiques du navigateur de l’appareil de l’utilisateur (p. ex. Google, Edge, etc.), sont recueillis automatiquement lorsque l’utilisateur visite les propriétés en ligne du CSCE.
  6. En tant qu’organisme de soins de santé, le CSCE peut traiter des renseignements personnels sensibles ainsi que des renseignements personnels sur la santé dans le cadre de ses activités normales. Il ne le fait qu’avec le consentement de la personne ou autrement dans la mesure permise par la loi applicable.
  7. Le CSCE traite en ligne les renseignements des utilisateurs pour fournir, améliorer et administrer ses services, communiquer avec ses utilisateurs, assurer la sécurité et prévenir la fraude, et pour les informer de la loi. Le CSCE peut aussi traiter les renseignements des utilisateurs à d’autres fins avec leur consentement. Le CSCE peut traiter les renseignements des utilisateurs lorsqu’il existe un motif juridique valable de le faire.
  8. Le CSCE a mis en place des processus et des procédures organisationnels et techniques pour protéger les renseignements personnels de ses utilisateurs. Toutefois, aucune transmission électronique sur Internet ni aucune technologie de stockage de l’information ne peut être garantie sûre à 100 %. Par conséquent, le CSCE ne peut garantir que des pirates informatiques, des cybercriminels ou d’autres tiers non autorisés ne parviendront pas à déjouer nos mesures de sécurité et à recueillir, consulter de façon inappropriée, voler ou modifier des renseignements sur les diverses plateformes utilisées. Si une atteinte à la vie privée est détectée, elle sera signalée aux internautes concernés dans les meilleurs délais.
  9. Tous les internautes du CSCE ont des droits en matière de vie privée établis par la législation canadienne sur la protection des renseignements personnels. Les personnes qui communiquent des renseignements personnels sur la santé au CSCE par notre site Web ou nos autres propriétés en ligne bénéficient également des protections juridiques prévues par la Loi de l’Ontario sur la protection des renseignements personnels sur la santé (2014). Les utilisateurs ont le droit de contrôler quand et comment leurs renseignements sont utilisés.
  10. La façon la plus simple d’exercer ses droits est de communiquer avec la personne responsable de la protection de la vie privée du CSCE ([email protected]). Le CSCE examinera toute demande et y donnera suite conformément aux lois applicables en matière de protection de la vie privée.


  • Cette politique s’applique à l’ensemble des employés, contractuels, stagiaires et bénévoles qui participent à la création, à la gestion ou à l’utilisation des propriétés en ligne de l’organisme.


  1. Propriété et responsabilité :
    • Le CSCE est propriétaire de toutes les propriétés en ligne associées à sa marque et à sa mission.
    • La direction générale adjointe est responsable de la gestion et de l’administration globales des propriétés en ligne.
  2. Gestion du contenu :
    • Le contenu publié sur les propriétés en ligne de l’organisme doit être conforme à sa vision, à sa mission, à ses valeurs et à ses objectifs.
    • Les créateurs de contenu doivent assurer l’exactitude, la pertinence et le professionnalisme de toutes les communications.
    • Tout contenu doit respecter les lois sur le droit d’auteur et les droits de propriété intellectuelle.
  3. Confidentialité :
    • Les données personnelles recueillies au moyen des propriétés en ligne doivent être traitées conformément aux lois applicables en matière de protection de la vie privée et aux politiques de confidentialité du CSCE.
    • Seuls les employés qui ont besoin de l’information pour accomplir leur travail auront accès aux données recueillies par le site Web du CSCE.
    • Le CSCE veille à ce que les utilisateurs soient informés des pratiques de collecte de données et de leurs droits à l’égard de leurs renseignements personnels.
    • Les données de l’utilisateur ne seront pas vendues à un tiers.
    • Les données Web de l’utilisateur ne seront communiquées à des tiers que lorsque cela est nécessaire pour que le CSCE accomplisse son travail, par exemple à un service d’analyse Web et à l’entreprise qui héberge la page Web du CSCE.
  4. Mesures de sécurité et protection des données :
    • Des mesures de sécurité robustes sont en place pour protéger les propriétés en ligne contre l’accès non autorisé, les atteintes à la protection des données et les cybermenaces.
    • L’employé responsable des communications supprime toutes les données confidentielles reçues par le site Web.
    • L’entreprise qui héberge le site Web du CSCE supprime les données recueillies tous les trois mois.
    • Des vérifications et des mises à jour de sécurité annuelles sont effectuées pour repérer et corriger les vulnérabilités.
    • Les employés qui gèrent les propriétés en ligne doivent respecter les protocoles de gestion des mots de passe et d’authentification afin de prévenir tout accès non autorisé.
  5. Conduite des utilisateurs de la page Web et des comptes de médias sociaux du CSCE :
    • Les utilisateurs qui interagissent avec les propriétés en ligne de l’organisme doivent respecter les lignes directrices d’utilisation acceptable.
    • Les activités interdites comprennent, sans s’y limiter, le harcèlement, la discrimination, la diffamation, le pourriel et la diffusion de contenu malveillant.
    • Les utilisateurs sont invités à signaler tout comportement inapproprié ou suspect aux administrateurs désignés.

Rôles et responsabilités

  1. Direction générale adjointe :
    • Assurer la supervision de toutes les propriétés en ligne.
    • Veiller au respect de cette politique et des règlements applicables.
    • Fournir conseils et soutien aux créateurs de contenu et aux administrateurs.
  2. Créateurs de contenu et administrateurs :
    • Élaborer et publier du contenu conformément aux lignes directrices et aux normes du CSCE.
    • Suivre l’engagement des utilisateurs et répondre promptement aux demandes ou aux commentaires.
    • Signaler tout incident de sécurité ou toute violation de la politique à la direction générale ou à la direction générale adjointe.

Conformité et application :

  1. Le non-respect de cette politique peut entraîner des mesures disciplinaires, y compris le congédiement ou la résiliation du contrat.
  2. Le CSCE se réserve le droit de supprimer ou de modifier tout contenu qui enfreint cette politique ou qui présente un risque pour sa réputation ou sa sécurité.


  • Cette politique doit être révisée périodiquement afin d’en assurer l’efficacité et la pertinence. Des modifications peuvent y être apportées au besoin pour tenir compte de l’évolution technologique et réglementaire ou des besoins du CSCE.
"""
