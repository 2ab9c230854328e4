<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>AdministrationPage</name>
    <message>
        <location filename="../../clinic_app/ui/administration.py" line="+214"/>
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
</context>
<context>
    <name>ChartView</name>
    <message>
        <location filename="../../clinic_app/ui/chart.py" line="+256"/>
        <source>← Patient list</source>
        <translation>← Liste des patients</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the search (Esc)</source>
        <translation>Retour à la recherche (Échap)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>New consultation</source>
        <translation>Nouvelle consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+N</source>
        <translation>Ctrl+Maj+N</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Consultations</source>
        <translation>Consultations</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Chart</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{age}, born {date}</source>
        <translation>{age}, né(e) le {date}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>National no. {number}</source>
        <translation>N° national {number}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Allergies: {list}</source>
        <translation>Allergies : {list}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No known allergy</source>
        <translation>Aucune allergie connue</translation>
    </message>
</context>
<context>
    <name>ClinicSettings</name>
    <message>
        <location filename="../../clinic_app/ui/administration.py" line="-48"/>
        <source>Clinic</source>
        <translation>Centre de santé</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Site code</source>
        <translation>Code du site</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time zone</source>
        <translation>Fuseau horaire</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a WHO ICD-11 file…</source>
        <translation>Importer un fichier CIM-11 de l’OMS…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Diagnosis codes</source>
        <translation>Codes de diagnostic</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>WHO ICD-11 tabulation</source>
        <translation>Tabulation CIM-11 de l’OMS</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ICD-11 tabulation (*.tsv *.tsv.gz *.txt)</source>
        <translation>Tabulation CIM-11 (*.tsv *.tsv.gz *.txt)</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n code(s) imported.</source>
        <translation>
            <numerusform>%n code importé.</numerusform>
            <numerusform>%n codes importés.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConsultationDetail</name>
    <message>
        <location filename="../../clinic_app/ui/chart.py" line="-141"/>
        <source>Consultation of {when}</source>
        <translation>Consultation du {when}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Complaint</source>
        <translation>Motif de consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vital signs</source>
        <translation>Constantes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
</context>
<context>
    <name>ConsultationEntry</name>
    <message>
        <location line="-148"/>
        <source>New consultation</source>
        <translation>Nouvelle consultation</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reason for the visit, in the patient&apos;s words</source>
        <translation>Motif de la visite, avec les mots du patient</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Examination, advice, follow-up</source>
        <translation>Examen, conseils, suivi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Substance (e.g. penicillin)</source>
        <translation>Substance (ex. : pénicilline)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reaction (e.g. rash)</source>
        <translation>Réaction (ex. : éruption cutanée)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Save the consultation</source>
        <translation>Enregistrer la consultation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+S</source>
        <translation>Ctrl+S</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Complaint</source>
        <translation>Motif de consultation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vital signs</source>
        <translation>Constantes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New allergy</source>
        <translation>Nouvelle allergie</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{label}: enter a number.</source>
        <translation>{label} : saisissez un nombre.</translation>
    </message>
</context>
<context>
    <name>DiagnosisDialog</name>
    <message>
        <location filename="../../clinic_app/ui/doctor.py" line="+257"/>
        <source>Add a diagnosis</source>
        <translation>Ajouter un diagnostic</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search ICD-11: word, French name or code (e.g. paludisme, CA40)</source>
        <translation>Rechercher dans la CIM-11 : mot, nom courant ou code (ex. : paludisme, CA40)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>WHO title</source>
        <translation>Intitulé OMS</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Found by</source>
        <translation>Trouvé par</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Add the diagnosis</source>
        <translation>Ajouter le diagnostic</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Choose a code in the list.</source>
        <translation>Choisissez un code dans la liste.</translation>
    </message>
</context>
<context>
    <name>Dispensary</name>
    <message>
        <location filename="../../clinic_app/ui/stock.py" line="+209"/>
        <source>Dispense a prescription</source>
        <translation>Dispenser une ordonnance</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Drugs</source>
        <translation>Médicaments</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Number</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Dispense</source>
        <translation>Dispenser</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Choose a prescription in the list.</source>
        <translation>Choisissez une ordonnance dans la liste.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Dispensed: {lines}.</source>
        <translation>Dispensé : {lines}.</translation>
    </message>
</context>
<context>
    <name>DoctorActs</name>
    <message>
        <location filename="../../clinic_app/ui/doctor.py" line="-244"/>
        <source>Add a diagnosis</source>
        <translation>Ajouter un diagnostic</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write a prescription</source>
        <translation>Rédiger une ordonnance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sick-leave certificate</source>
        <translation>Arrêt de travail</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Print</source>
        <translation>Imprimer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print the employer&apos;s copy</source>
        <translation>Imprimer l’exemplaire employeur</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Prescription {number}: {drugs}</source>
        <translation>Ordonnance {number} : {drugs}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sick leave {number}: {days} day(s), {start} to {end}</source>
        <translation>Arrêt de travail {number} : {days} jour(s), du {start} au {end}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Diagnoses</source>
        <translation>Diagnostics</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Preparing the document…</source>
        <translation>Préparation du document…</translation>
    </message>
</context>
<context>
    <name>EnrolmentForm</name>
    <message>
        <location filename="../../clinic_app/ui/administration.py" line="-90"/>
        <source>Enrol with central</source>
        <translation>Inscription auprès du serveur central</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+27"/>
        <source>Enrol the clinic</source>
        <translation>Inscrire le centre</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Server address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Central user name</source>
        <translation>Identifiant central</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Central password</source>
        <translation>Mot de passe central</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Contacting central…</source>
        <translation>Connexion au serveur central…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The clinic is enrolled. Sync starts by itself.</source>
        <translation>Le centre est inscrit. La synchronisation démarre d’elle-même.</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <location filename="../../clinic_app/ui/login.py" line="+187"/>
        <location line="+49"/>
        <source>New clinic</source>
        <translation>Nouveau centre de santé</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>e.g. TRV</source>
        <translation>ex. : TRV</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+72"/>
        <source>Create the clinic</source>
        <translation>Créer le centre</translation>
    </message>
    <message>
        <location line="-66"/>
        <source>There is no clinic on this computer yet. Create it, with its first administrator. The data is encrypted; the administrator&apos;s password unlocks it.</source>
        <translation>Aucun centre de santé n’existe encore sur cet ordinateur. Créez-le, avec son premier administrateur. Les données sont chiffrées ; le mot de passe de l’administrateur les déverrouille.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Clinic name</source>
        <translation>Nom du centre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Site code</source>
        <translation>Code du site</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time zone</source>
        <translation>Fuseau horaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrator user name</source>
        <translation>Identifiant de l’administrateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrator full name</source>
        <translation>Nom complet de l’administrateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password again</source>
        <translation>Confirmer le mot de passe</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Enter the clinic&apos;s name.</source>
        <translation>Saisissez le nom du centre.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enter the site code.</source>
        <translation>Saisissez le code du site.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe sont différents.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Creating the clinic…</source>
        <translation>Création du centre…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location line="-135"/>
        <source>Clinic records — log in</source>
        <translation>Dossiers du centre — connexion</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <location line="+22"/>
        <source>Log in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Enter your user name and password.</source>
        <translation>Saisissez votre identifiant et votre mot de passe.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;User name</source>
        <translation>&amp;Identifiant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Password</source>
        <translation>&amp;Mot de passe</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enter your user name.</source>
        <translation>Saisissez votre identifiant.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Opening…</source>
        <translation>Ouverture…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../clinic_app/ui/main_window.py" line="+49"/>
        <source>{clinic} — clinic records</source>
        <translation>{clinic} — dossiers du centre</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Log out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock the clinic&apos;s data and let a colleague log in (Ctrl+L)</source>
        <translation>Verrouiller les données et laisser un collègue se connecter (Ctrl+L)</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Patients</source>
        <translation>Patients</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stock</source>
        <translation>Magasin</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
</context>
<context>
    <name>NewUserForm</name>
    <message>
        <location filename="../../clinic_app/ui/administration.py" line="-111"/>
        <source>New user</source>
        <translation>Nouvel utilisateur</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Create the user</source>
        <translation>Créer l’utilisateur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>User name</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full name</source>
        <translation>Nom complet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Roles</source>
        <translation>Rôles</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>User {name} created.</source>
        <translation>Utilisateur {name} créé.</translation>
    </message>
</context>
<context>
    <name>PatientSearch</name>
    <message>
        <location filename="../../clinic_app/ui/patients.py" line="+113"/>
        <source>Patients</source>
        <translation>Patients</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search for a patient: name, national no. or phone</source>
        <translation>Rechercher un patient : nom, n° national ou téléphone</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>New patient</source>
        <translation>Nouveau patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Register a new patient (Ctrl+N)</source>
        <translation>Enregistrer un nouveau patient (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Most recently registered patients.</source>
        <translation>Derniers patients enregistrés.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No patient found. Check the spelling, or register a new patient.</source>
        <translation>Aucun patient trouvé. Vérifiez l’orthographe ou enregistrez un nouveau patient.</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n patient(s) found.</source>
        <translation>
            <numerusform>%n patient trouvé.</numerusform>
            <numerusform>%n patients trouvés.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PatientTable</name>
    <message>
        <location line="-159"/>
        <source>Family name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Given name(s)</source>
        <translation>Prénom(s)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>Sexe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of birth / age</source>
        <translation>Date de naissance / âge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>National no.</source>
        <translation>N° national</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Village</source>
        <translation>Village</translation>
    </message>
</context>
<context>
    <name>PrescriptionDialog</name>
    <message>
        <location filename="../../clinic_app/ui/doctor.py" line="+156"/>
        <source>Prescription</source>
        <translation>Ordonnance</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Allergies: {list}</source>
        <translation>Allergies : {list}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Type a drug name</source>
        <translation>Saisissez le nom d’un médicament</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. 1 tablet</source>
        <translation>ex. : 1 comprimé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. 3 times a day</source>
        <translation>ex. : 3 fois par jour</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> day(s)</source>
        <translation> jour(s)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add the line</source>
        <translation>Ajouter la ligne</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+28"/>
        <source>Drug</source>
        <translation>Médicament</translation>
    </message>
    <message>
        <location line="-27"/>
        <location line="+30"/>
        <source>Dose</source>
        <translation>Dose</translation>
    </message>
    <message>
        <location line="-29"/>
        <location line="+30"/>
        <source>Frequency</source>
        <translation>Fréquence</translation>
    </message>
    <message>
        <location line="-29"/>
        <location line="+30"/>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <location line="-29"/>
        <location line="+30"/>
        <source>Quantity</source>
        <translation>Quantité</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Remove the line</source>
        <translation>Retirer la ligne</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sign the prescription</source>
        <translation>Signer l’ordonnance</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Choose a drug from the catalogue.</source>
        <translation>Choisissez un médicament du catalogue.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give the dose and how often to take it.</source>
        <translation>Indiquez la dose et la fréquence des prises.</translation>
    </message>
    <message numerus="yes">
        <location line="+19"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n jour</numerusform>
            <numerusform>%n jours</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Reception</name>
    <message>
        <location filename="../../clinic_app/ui/stock.py" line="-188"/>
        <source>Receive a delivery</source>
        <translation>Réceptionner une livraison</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Scan the barcode on the box</source>
        <translation>Scannez le code-barres de la boîte</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Printed on the box</source>
        <translation>Imprimée sur la boîte</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Receive</source>
        <translation>Réceptionner</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>GTIN</source>
        <translation>GTIN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lot</source>
        <translation>Lot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expiry</source>
        <translation>Péremption</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity</source>
        <translation>Quantité</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Not in the catalogue: ask central to add it, or check the box.</source>
        <translation>Absent du catalogue : demandez au central de l’ajouter, ou vérifiez la boîte.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Received: {quantity} × {product}, lot {lot}.</source>
        <translation>Réceptionné : {quantity} × {product}, lot {lot}.</translation>
    </message>
</context>
<context>
    <name>RegisterPatientDialog</name>
    <message>
        <location filename="../../clinic_app/ui/patients.py" line="+177"/>
        <location line="+55"/>
        <source>New patient</source>
        <translation>Nouveau patient</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>— choose —</source>
        <translation>— choisir —</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Known</source>
        <translation>Connue</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Family name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Given name(s)</source>
        <translation>Prénom(s)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>Sexe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of birth</source>
        <translation>Date de naissance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>National no.</source>
        <translation>N° national</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Village / district</source>
        <translation>Village / quartier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>SickLeaveDialog</name>
    <message>
        <location filename="../../clinic_app/ui/doctor.py" line="+49"/>
        <source>Sick-leave certificate</source>
        <translation>Arrêt de travail</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> day(s)</source>
        <translation> jour(s)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Initial</source>
        <translation>Initial</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extension</source>
        <translation>Prolongation</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{number} (until {end})</source>
        <translation>{number} (jusqu’au {end})</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Outings allowed</source>
        <translation>Sorties autorisées</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The employer&apos;s copy never shows the diagnosis.</source>
        <translation>L’exemplaire employeur ne montre jamais le diagnostic.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Issue the certificate</source>
        <translation>Délivrer le certificat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>First day off work</source>
        <translation>Premier jour d’arrêt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number of days</source>
        <translation>Nombre de jours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last day off work</source>
        <translation>Dernier jour d’arrêt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Diagnosis</source>
        <translation>Diagnostic</translation>
    </message>
</context>
<context>
    <name>StockOnHand</name>
    <message>
        <location filename="../../clinic_app/ui/stock.py" line="+87"/>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lot</source>
        <translation>Lot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expiry</source>
        <translation>Péremption</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity</source>
        <translation>Quantité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reorder level</source>
        <translation>Seuil de commande</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Red: expired — do not dispense.  Yellow: below the reorder level.</source>
        <translation>Rouge : périmé — ne pas dispenser.  Jaune : sous le seuil de commande.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stock on hand</source>
        <translation>Stock disponible</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Expired: do not dispense.</source>
        <translation>Périmé : ne pas dispenser.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Below the reorder level.</source>
        <translation>Sous le seuil de commande.</translation>
    </message>
</context>
<context>
    <name>StockPage</name>
    <message>
        <location line="+11"/>
        <source>Stock</source>
        <translation>Magasin</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <location filename="../../clinic_app/ui/sync_status.py" line="+61"/>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
</context>
<context>
    <name>crash</name>
    <message>
        <location filename="../../clinic_app/ui/crash.py" line="+47"/>
        <source>Something went wrong</source>
        <translation>Un problème est survenu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Something went wrong.</source>
        <translation>Un problème est survenu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What you saved before is safe. Try again; if it happens again, note the time and tell the clinic admin.</source>
        <translation>Ce qui a été enregistré avant est en sécurité. Réessayez ; si cela se reproduit, notez l’heure et prévenez l’administrateur du centre.</translation>
    </message>
</context>
<context>
    <name>display</name>
    <message>
        <location filename="../../clinic_app/ui/display.py" line="+20"/>
        <source>Female</source>
        <translation>Femme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Male</source>
        <translation>Homme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
    <message numerus="yes">
        <location line="+27"/>
        <source>%n year(s)</source>
        <comment>age</comment>
        <translation>
            <numerusform>%n an</numerusform>
            <numerusform>%n ans</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n month(s)</source>
        <comment>age</comment>
        <translation>
            <numerusform>%n mois</numerusform>
            <numerusform>%n mois</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n day(s)</source>
        <comment>age</comment>
        <translation>
            <numerusform>%n jour</numerusform>
            <numerusform>%n jours</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../clinic_app/clock.py" line="+35"/>
        <source>Unknown time zone: {zone}.</source>
        <translation>Fuseau horaire inconnu : {zone}.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/documents/pdf.py" line="+98"/>
        <source>The document could not be saved in {folder} ({reason}). Check that the folder exists and that there is free space.</source>
        <translation>Le document n’a pas pu être enregistré dans {folder} ({reason}). Vérifiez que le dossier existe et qu’il reste de la place.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/documents/signing.py" line="+32"/>
        <source>This document&apos;s code is not valid: it was altered or not issued by a known clinic.</source>
        <translation>Le code de ce document n’est pas valide : il a été modifié ou n’a pas été délivré par un centre connu.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/errors.py" line="+19"/>
        <source>Something went wrong.</source>
        <translation>Un problème est survenu.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The clinic database could not be opened.</source>
        <translation>La base de données du centre n’a pas pu être ouverte.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Wrong user name or password. Check the keyboard layout and Caps Lock.</source>
        <translation>Identifiant ou mot de passe incorrect. Vérifiez la disposition du clavier et la touche Verr. Maj.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The file {path} is not a clinic database, or it is damaged. Choose the clinic&apos;s data folder or restore a backup.</source>
        <translation>Le fichier {path} n’est pas une base de données du centre, ou il est endommagé. Choisissez le dossier de données du centre ou restaurez une sauvegarde.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>There is no clinic database in {path}. Create a clinic first.</source>
        <translation>Il n’y a pas de base de données du centre dans {path}. Créez d’abord un centre.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A clinic database already exists in {path}; nothing was changed.</source>
        <translation>Une base de données du centre existe déjà dans {path} ; rien n’a été modifié.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This clinic database was written by a newer version of the program (schema {found}, this program knows {known}). Install the newer version.</source>
        <translation>Cette base de données a été écrite par une version plus récente du programme (schéma {found}, ce programme connaît {known}). Installez la version la plus récente.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This account is disabled. Ask the clinic admin.</source>
        <translation>Ce compte est désactivé. Adressez-vous à l’administrateur du centre.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your role does not allow this action ({action}). Ask a colleague who may.</source>
        <translation>Votre rôle ne permet pas cette action ({action}). Demandez à un collègue habilité.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Please check the form.</source>
        <translation>Veuillez vérifier le formulaire.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The record was not found; it may have been removed.</source>
        <translation>L’enregistrement est introuvable ; il a peut-être été supprimé.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/inventory/scanning.py" line="+182"/>
        <source>This is not a barcode the program can read. Scan the GS1 barcode on the box (the square DataMatrix, or the barcode with numbers in brackets under it).</source>
        <translation>Ce code-barres ne peut pas être lu. Scannez le code GS1 de la boîte (le DataMatrix carré, ou le code-barres avec des chiffres entre parenthèses en dessous).</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Nothing was scanned. Scan the barcode again.</source>
        <translation>Rien n’a été scanné. Scannez de nouveau le code-barres.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This is not a single barcode ({length} characters were received). Scan one code at a time.</source>
        <translation>Ce n’est pas un seul code-barres ({length} caractères reçus). Scannez un code à la fois.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The scanner seems to type with the wrong keyboard layout (digits came out as &amp;é&quot;&apos;(-è_çà) and the code could not be repaired. Ask for the scanner to be set to the French (AZERTY) keyboard, then scan again.</source>
        <translation>La douchette semble utiliser la mauvaise disposition de clavier (les chiffres sont sortis en &amp;é&quot;&apos;(-è_çà) et le code n’a pas pu être corrigé. Faites régler la douchette sur le clavier français (AZERTY), puis scannez de nouveau.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>This barcode ({symbology}) is not a GS1 product code. Scan the GS1 barcode on the box (the square DataMatrix, or the barcode with numbers in brackets under it).</source>
        <translation>Ce code-barres ({symbology}) n’est pas un code produit GS1. Scannez le code GS1 de la boîte (le DataMatrix carré, ou le code-barres avec des chiffres entre parenthèses en dessous).</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The code contains characters no GS1 barcode can hold ({characters}). Scan it again, or type the GTIN from the box.</source>
        <translation>Le code contient des caractères impossibles dans un code GS1 ({characters}). Scannez-le de nouveau, ou saisissez le GTIN lu sur la boîte.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The barcode&apos;s check digit is wrong: the code was misread or damaged. Scan it again or type the GTIN from the box.</source>
        <translation>La clé de contrôle du code-barres est fausse : le code a été mal lu ou est abîmé. Scannez-le de nouveau ou saisissez le GTIN lu sur la boîte.</translation>
    </message>
    <message>
        <location line="+117"/>
        <source>The code stops in the middle of a date ({rest}): it was cut short. Scan it again.</source>
        <translation>Le code s’arrête au milieu d’une date ({rest}) : il a été tronqué. Scannez-le de nouveau.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The code was read up to {read}, but what follows ({rest}) is not part of a GS1 code. Scan it again.</source>
        <translation>Le code a été lu jusqu’à {read}, mais la suite ({rest}) ne fait pas partie d’un code GS1. Scannez-le de nouveau.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The date in the code ({digits}, year-month-day) is not a real date. Scan it again or type the expiry date from the box.</source>
        <translation>La date du code ({digits}, année-mois-jour) n’existe pas. Scannez-le de nouveau ou saisissez la date de péremption lue sur la boîte.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The typed code could not be read. Type it as printed under the barcode, for example (01)03614142000018(17)270630(10)LOT2024A.</source>
        <translation>Le code saisi n’a pas pu être lu. Saisissez-le tel qu’il est imprimé sous le code-barres, par exemple (01)03614142000018(17)270630(10)LOT2024A.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The code holds two different values for the same field ({first} and {second}). Scan it again.</source>
        <translation>Le code contient deux valeurs différentes pour le même champ ({first} et {second}). Scannez-le de nouveau.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>This code identifies a shipping carton or pallet (SSCC), not a product. Scan the barcode on a box of the medicine.</source>
        <translation>Ce code identifie un carton d’expédition ou une palette (SSCC), pas un produit. Scannez le code-barres d’une boîte du médicament.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This code has no product number (GTIN). Scan the other barcode on the box.</source>
        <translation>Ce code ne contient pas de numéro de produit (GTIN). Scannez l’autre code-barres de la boîte.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/certificates.py" line="+55"/>
        <source>This sick-leave certificate cannot be issued.</source>
        <translation>Cet arrêt de travail ne peut pas être délivré.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The sick leave cannot start on {start}: a certificate may start at most {max} days before today ({today}). Start it today or later.</source>
        <translation>L’arrêt ne peut pas commencer le {start} : un certificat peut commencer au plus {max} jours avant aujourd’hui ({today}). Faites-le commencer aujourd’hui ou plus tard.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The sick leave cannot start on {start}: a certificate may start at most {max} days after today ({today}).</source>
        <translation>L’arrêt ne peut pas commencer le {start} : un certificat peut commencer au plus {max} jours après aujourd’hui ({today}).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>An extension must start the day after certificate {number} ends, that is on {expected}, not on {start}.</source>
        <translation>Une prolongation doit commencer le lendemain de la fin du certificat {number}, soit le {expected}, et non le {start}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This period overlaps certificate {number} ({start} to {end}) of the same patient. Issue an extension of that certificate, or start after {end}.</source>
        <translation>Cette période chevauche le certificat {number} (du {start} au {end}) du même patient. Délivrez une prolongation de ce certificat, ou commencez après le {end}.</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Choose whether this is an initial certificate or an extension.</source>
        <translation>Indiquez s’il s’agit d’un arrêt initial ou d’une prolongation.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The number of days of sick leave must be {min} to {max}.</source>
        <translation>Le nombre de jours d’arrêt doit être compris entre {min} et {max}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>An extension must give the number of the certificate it extends.</source>
        <translation>Une prolongation doit indiquer le numéro du certificat qu’elle prolonge.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>An initial certificate extends no other; choose &quot;extension&quot; or clear the number.</source>
        <translation>Un arrêt initial ne prolonge aucun autre certificat ; choisissez « prolongation » ou effacez le numéro.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No certificate {number} was issued to this patient. Check the number on the previous certificate.</source>
        <translation>Aucun certificat {number} n’a été délivré à ce patient. Vérifiez le numéro sur le certificat précédent.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Certificate {number} was already extended by {later}. Extend {later} instead.</source>
        <translation>Le certificat {number} a déjà été prolongé par {later}. Prolongez plutôt {later}.</translation>
    </message>
    <message>
        <location line="+54"/>
        <location filename="../../clinic_app/records/diagnoses.py" line="+37"/>
        <source>{code} is not an ICD-11 code. Search by word.</source>
        <translation>{code} n’est pas un code CIM-11. Recherchez par mot.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/consultations.py" line="+97"/>
        <source>Unknown vital sign: {key}.</source>
        <translation>Constante inconnue : {key}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{label}: enter a number.</source>
        <translation>{label} : saisissez un nombre.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{label}: {value} {unit} is impossible; expected {low} to {high}.</source>
        <translation>{label} : {value} {unit} est impossible ; valeur attendue entre {low} et {high}.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The diastolic pressure must be lower than the systolic pressure.</source>
        <translation>La pression diastolique doit être inférieure à la pression systolique.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The reason for the visit is missing.</source>
        <translation>Le motif de consultation manque.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This text is too long (at most {n} characters).</source>
        <translation>Ce texte est trop long ({n} caractères au plus).</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>Name the substance the patient is allergic to.</source>
        <translation>Indiquez la substance à laquelle le patient est allergique.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/icd11.py" line="+46"/>
        <source>This file is not a WHO ICD-11 tabulation (columns code, title, class_kind...).</source>
        <translation>Ce fichier n’est pas une tabulation CIM-11 de l’OMS (colonnes code, title, class_kind…).</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>The file holds no ICD-11 codes.</source>
        <translation>Le fichier ne contient aucun code CIM-11.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The file could not be read: {reason}</source>
        <translation>Le fichier n’a pas pu être lu : {reason}</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/patients.py" line="+24"/>
        <source>A patient with this national number is already registered. Search for the number and open that record instead.</source>
        <translation>Un patient avec ce numéro national est déjà enregistré. Recherchez ce numéro et ouvrez plutôt son dossier.</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>The name is missing.</source>
        <translation>Le nom manque.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The name is too long (at most {n} characters).</source>
        <translation>Le nom est trop long ({n} caractères au plus).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A name may not contain digits or symbols.</source>
        <translation>Un nom ne peut contenir ni chiffres ni symboles.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose the sex.</source>
        <translation>Choisissez le sexe.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The date of birth cannot be in the future or before 1890.</source>
        <translation>La date de naissance ne peut être ni dans le futur ni avant 1890.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The national number has 4 to 32 letters, digits, &apos;-&apos; or &apos;/&apos;.</source>
        <translation>Le numéro national comporte de 4 à 32 lettres, chiffres, « - » ou « / ».</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The phone number is not valid.</source>
        <translation>Le numéro de téléphone n’est pas valide.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/prescriptions.py" line="+66"/>
        <source>Line {n}: give the dose and how often to take it.</source>
        <translation>Ligne {n} : indiquez la dose et la fréquence des prises.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Line {n}: the duration must be 1 to {max} days.</source>
        <translation>Ligne {n} : la durée doit être comprise entre 1 et {max} jours.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Line {n}: the quantity must be 1 to {max}.</source>
        <translation>Ligne {n} : la quantité doit être comprise entre 1 et {max}.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Add at least one drug to the prescription.</source>
        <translation>Ajoutez au moins un médicament à l’ordonnance.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A prescription has at most {max} lines.</source>
        <translation>Une ordonnance comporte au plus {max} lignes.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Line {n}: this drug is not in the catalogue.</source>
        <translation>Ligne {n} : ce médicament n’est pas au catalogue.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/security/accounts.py" line="+43"/>
        <source>The password must have at least {n} characters.</source>
        <translation>Le mot de passe doit comporter au moins {n} caractères.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A user name has 2 to 32 characters: lower-case letters, digits, dot, dash or underscore.</source>
        <translation>Un identifiant comporte de 2 à 32 caractères : lettres minuscules, chiffres, point, tiret ou tiret bas.</translation>
    </message>
    <message>
        <location line="+142"/>
        <source>Choose at least one role.</source>
        <translation>Choisissez au moins un rôle.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The user name {username} is already taken.</source>
        <translation>L’identifiant {username} est déjà pris.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/sync/errors.py" line="+12"/>
        <source>Sync with the central server failed.</source>
        <translation>La synchronisation avec le serveur central a échoué.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The central server cannot be reached. Work continues offline; sync will retry by itself.</source>
        <translation>Le serveur central est injoignable. Le travail continue hors ligne ; la synchronisation réessaiera d’elle-même.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The central server gave an answer this program cannot use ({detail}). Nothing was lost; sync will retry. If this goes on, tell the clinic admin.</source>
        <translation>Le serveur central a donné une réponse inutilisable ({detail}). Rien n’est perdu ; la synchronisation réessaiera. Si cela continue, prévenez l’administrateur du centre.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The central server address {url} is not valid. It looks like https://central.example.org — ask the admin for the right one.</source>
        <translation>L’adresse du serveur central {url} n’est pas valide. Elle ressemble à https://central.example.org — demandez la bonne adresse à l’administrateur.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This clinic&apos;s access to central was refused or revoked. Ask the admin to enrol the clinic again.</source>
        <translation>L’accès de ce centre au serveur central a été refusé ou révoqué. Demandez à l’administrateur d’inscrire de nouveau le centre.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The central server needs a newer version of this program. Work continues offline; ask the admin to install the update.</source>
        <translation>Le serveur central exige une version plus récente de ce programme. Le travail continue hors ligne ; demandez à l’administrateur d’installer la mise à jour.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Central refused the enrolment: wrong central user name or password. Check them with the central operator and try again.</source>
        <translation>Le serveur central a refusé l’inscription : identifiant ou mot de passe central incorrect. Vérifiez-les auprès de l’opérateur central et réessayez.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Central refused some of this clinic&apos;s changes ({reason}). They are kept here; ask the admin to contact central support.</source>
        <translation>Le serveur central a refusé certaines modifications de ce centre ({reason}). Elles sont conservées ici ; demandez à l’administrateur de contacter le support central.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This clinic is not enrolled with central yet. Ask the admin to enrol it.</source>
        <translation>Ce centre n’est pas encore inscrit auprès du serveur central. Demandez à l’administrateur de l’inscrire.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A sync is already running; wait for it to finish.</source>
        <translation>Une synchronisation est déjà en cours ; attendez qu’elle se termine.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/sync/service.py" line="+130"/>
        <source>The central server address starts with https:// (or http://).</source>
        <translation>L’adresse du serveur central commence par https:// (ou http://).</translation>
    </message>
    <message>
        <location filename="../../clinic_app/sync/status.py" line="+83"/>
        <source>Sync stopped on an unexpected problem. Nothing was lost; tell the clinic admin.</source>
        <translation>La synchronisation s’est arrêtée sur un problème inattendu. Rien n’est perdu ; prévenez l’administrateur du centre.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/inventory/stock.py" line="+66"/>
        <source>This product (GTIN {gtin}) is not in the catalogue. Check the code or ask central to add it.</source>
        <translation>Ce produit (GTIN {gtin}) n’est pas au catalogue. Vérifiez le code ou demandez au central de l’ajouter.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lot {lot} of {drug} expired on {expiry}: it must not be received or dispensed.</source>
        <translation>Le lot {lot} de {drug} est périmé depuis le {expiry} : il ne doit être ni réceptionné ni dispensé.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Lot {lot} of {drug} was already received with expiry {known}, but this delivery says {given}. One lot has one expiry date: check the box and the earlier delivery note.</source>
        <translation>Le lot {lot} de {drug} a déjà été réceptionné avec la péremption {known}, mais cette livraison indique {given}. Un lot n’a qu’une date de péremption : vérifiez la boîte et le bon de livraison précédent.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Not enough {drug} in stock: the prescription needs {needed} {unit}, only {available} can be dispensed. Nothing was dispensed.</source>
        <translation>Stock insuffisant de {drug} : l’ordonnance demande {needed} {unit}, seuls {available} peuvent être dispensés. Rien n’a été dispensé.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Prescription {number} was already dispensed ({drug}); it is not dispensed twice. Nothing was changed.</source>
        <translation>L’ordonnance {number} a déjà été dispensée ({drug}) ; elle ne l’est pas deux fois. Rien n’a été modifié.</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>The quantity must be a whole number.</source>
        <translation>La quantité doit être un nombre entier.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The quantity must be at least 1.</source>
        <translation>La quantité doit être d’au moins 1.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{quantity} is more than one delivery line can hold ({max} at most). Check the quantity.</source>
        <translation>{quantity} dépasse ce qu’une ligne de livraison peut contenir ({max} au plus). Vérifiez la quantité.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The expiry date is not a date; type it as on the box.</source>
        <translation>La date de péremption n’est pas une date ; saisissez-la comme sur la boîte.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A GTIN is 8, 12, 13 or 14 digits; {gtin} is not one.</source>
        <translation>Un GTIN comporte 8, 12, 13 ou 14 chiffres ; {gtin} n’en est pas un.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Type the lot number printed on the box: every pack received needs one.</source>
        <translation>Saisissez le numéro de lot imprimé sur la boîte : chaque boîte réceptionnée en a besoin.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A lot number has at most {max} letters and digits; check it.</source>
        <translation>Un numéro de lot comporte au plus {max} lettres et chiffres ; vérifiez-le.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Lot {lot} does not hold that much stock.</source>
        <translation>Le lot {lot} ne contient pas autant de stock.</translation>
    </message>
    <message>
        <location line="+224"/>
        <source>The only {drug} left (lot {lot}, {balance} {unit}) expired on {expiry}: it must not be dispensed. Write the lot off and order more. Nothing was dispensed.</source>
        <translation>Le seul {drug} restant (lot {lot}, {balance} {unit}) est périmé depuis le {expiry} : il ne doit pas être dispensé. Sortez ce lot du stock et commandez-en. Rien n’a été dispensé.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Not enough {drug} in stock: the prescription needs {needed} {unit}, only {available} can be dispensed; {expired} more are in expired lots, which must be written off. Nothing was dispensed.</source>
        <translation>Stock insuffisant de {drug} : l’ordonnance demande {needed} {unit}, seuls {available} peuvent être dispensés ; {expired} autres sont dans des lots périmés, à sortir du stock. Rien n’a été dispensé.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Lot {lot} of {drug} has not expired (expiry {expiry}); only expired lots are written off here.</source>
        <translation>Le lot {lot} de {drug} n’est pas périmé (péremption {expiry}) ; seuls les lots périmés sont sortis du stock ici.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Lot {lot} of {drug} holds no stock to write off.</source>
        <translation>Le lot {lot} de {drug} ne contient aucun stock à sortir.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/demo.py" line="+439"/>
        <source>The number of demo patients must be zero or more.</source>
        <translation>Le nombre de patients de démonstration doit être zéro ou plus.</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <location filename="../../clinic_app/ui/administration.py" line="-58"/>
        <source>Nurse</source>
        <translation>Infirmier(ère)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Doctor</source>
        <translation>Médecin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Storekeeper</source>
        <translation>Magasinier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clinic admin</source>
        <translation>Administrateur du centre</translation>
    </message>
</context>
<context>
    <name>scanning</name>
    <message>
        <location filename="../../clinic_app/inventory/scanning.py" line="-319"/>
        <source>The scanner typed with the wrong keyboard layout (AZERTY); the code was repaired. Check it against the box, and ask for the scanner&apos;s keyboard layout to be set to French.</source>
        <translation>La douchette a tapé avec la mauvaise disposition de clavier (AZERTY) ; le code a été corrigé. Vérifiez-le sur la boîte, et faites régler la douchette sur le clavier français.</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>This barcode holds only the product number: type the lot and expiry date from the box.</source>
        <translation>Ce code-barres ne contient que le numéro du produit : saisissez le lot et la date de péremption lus sur la boîte.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This is a shop&apos;s or a region&apos;s own number (restricted circulation), not a manufacturer&apos;s product number. Look for another barcode on the box.</source>
        <translation>C’est un numéro propre à un magasin ou à une région (circulation restreinte), pas un numéro de produit du fabricant. Cherchez un autre code-barres sur la boîte.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This is the number of a book or periodical (ISBN, ISSN), not of a medicine. Look for another barcode on the box.</source>
        <translation>C’est le numéro d’un livre ou d’une revue (ISBN, ISSN), pas d’un médicament. Cherchez un autre code-barres sur la boîte.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This is a coupon or receipt number, not a product number.</source>
        <translation>C’est un numéro de bon ou de ticket, pas un numéro de produit.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This code is for an outer carton (packaging level {level}), not for one pack: count the packs inside when you receive it.</source>
        <translation>Ce code désigne un carton (niveau de conditionnement {level}), pas une boîte : comptez les boîtes qu’il contient à la réception.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>This code is for goods sold by weight or measure; check the product.</source>
        <translation>Ce code désigne une marchandise vendue au poids ou à la mesure ; vérifiez le produit.</translation>
    </message>
    <message>
        <location line="+153"/>
        <source>The code has no lot number: type it from the box.</source>
        <translation>Le code ne contient pas de numéro de lot : saisissez-le depuis la boîte.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The lot {lot} may run into a serial number because a separator was lost. Check the lot printed on the box.</source>
        <translation>Le lot {lot} déborde peut-être sur un numéro de série, car un séparateur a été perdu. Vérifiez le lot imprimé sur la boîte.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The code has a best-before date ({date}) but no expiry date: type the expiry date from the box.</source>
        <translation>Le code contient une date de durabilité minimale ({date}) mais pas de date de péremption : saisissez la date de péremption lue sur la boîte.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The code has no expiry date: type it from the box.</source>
        <translation>Le code ne contient pas de date de péremption : saisissez-la depuis la boîte.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This is a shipping label (it has a carton number): count the packs inside when you receive it.</source>
        <translation>C’est une étiquette d’expédition (elle porte un numéro de carton) : comptez les boîtes qu’il contient à la réception.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The code carries data this program does not use (fields {fields}). Check that you scanned the right barcode.</source>
        <translation>Le code contient des données que ce programme n’utilise pas (champs {fields}). Vérifiez que vous avez scanné le bon code-barres.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>A separator was missing in the code; it was read as {field} {value} and expiry {expiry}. Check both against the box.</source>
        <translation>Un séparateur manquait dans le code ; il a été lu comme {field} {value} et péremption {expiry}. Vérifiez les deux sur la boîte.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>This lot expired on {expiry}: it must not be received or dispensed.</source>
        <translation>Ce lot est périmé depuis le {expiry} : il ne doit être ni réceptionné ni dispensé.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This lot expires today ({expiry}).</source>
        <translation>Ce lot se périme aujourd’hui ({expiry}).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>This lot expires in {days} days ({expiry}).</source>
        <translation>Ce lot se périme dans {days} jours ({expiry}).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The expiry date {expiry} is more than {years} years away, which is unusual. Check it against the box.</source>
        <translation>La date de péremption {expiry} est à plus de {years} ans, ce qui est inhabituel. Vérifiez-la sur la boîte.</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <location filename="../../clinic_app/sync/status.py" line="-28"/>
        <source>Not enrolled with central</source>
        <translation>Non inscrit auprès du serveur central</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Syncing {done} of {total}</source>
        <translation>Synchronisation {done} / {total}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Offline — {pending} change(s) waiting</source>
        <translation>Hors ligne — {pending} modification(s) en attente</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Up to date at {time}</source>
        <translation>À jour à {time}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{pending} change(s) waiting to be sent</source>
        <translation>{pending} modification(s) en attente d’envoi</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sync error: {reason}</source>
        <translation>Erreur de synchronisation : {reason}</translation>
    </message>
</context>
<context>
    <name>vitals</name>
    <message>
        <location filename="../../clinic_app/records/consultations.py" line="-205"/>
        <source>Systolic blood pressure</source>
        <translation>Tension artérielle systolique</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Diastolic blood pressure</source>
        <translation>Tension artérielle diastolique</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Heart rate</source>
        <translation>Fréquence cardiaque</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Respiratory rate</source>
        <translation>Fréquence respiratoire</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Body temperature</source>
        <translation>Température corporelle</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Oxygen saturation (SpO2)</source>
        <translation>Saturation en oxygène (SpO2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Body weight</source>
        <translation>Poids</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Body height</source>
        <translation>Taille</translation>
    </message>
</context>
</TS>
