<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>AdministrationPage</name>
    <message>
        <location filename="../../clinic_app/ui/administration.py" line="+332"/>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Clinic and security</source>
        <translation>Centre et sécurité</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Audit trail</source>
        <translation>Journal d’audit</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Emergency accesses</source>
        <translation>Accès d’urgence</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
</context>
<context>
    <name>AuditViewer</name>
    <message>
        <source>Record no.</source>
        <translation type="vanished">N° de dossier</translation>
    </message>
    <message>
        <location filename="../../clinic_app/ui/audit_view.py" line="+74"/>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Verify the chain</source>
        <translation>Vérifier la chaîne</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Roles</source>
        <translation>Rôles</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Object</source>
        <translation>Objet</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>Patient record no.</source>
        <translation>N° de dossier patient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The record number shown in the chart, under the patient&apos;s name</source>
        <translation>Le numéro de dossier affiché dans le dossier, sous le nom du patient</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Workstation</source>
        <translation>Poste</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation type="vanished">Tout le monde</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>All users</source>
        <translation>Tous les utilisateurs</translation>
    </message>
    <message numerus="yes">
        <location line="+51"/>
        <source>%n entry(ies), newest first.</source>
        <translation>
            <numerusform>%n entrée, la plus récente en premier.</numerusform>
            <numerusform>%n entrées, les plus récentes en premier.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The newest {n} entries; narrow the filters to see older ones.</source>
        <translation>Les {n} entrées les plus récentes ; resserrez les filtres pour voir les plus anciennes.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Chain intact: %n entry(ies) checked.</source>
        <translation>
            <numerusform>Chaîne intacte : %n entrée vérifiée.</numerusform>
            <numerusform>Chaîne intacte : %n entrées vérifiées.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chain broken at entry #{seq}: {reason}.</source>
        <translation>Chaîne rompue à l’entrée n° {seq} : {reason}.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>an entry is missing</source>
        <translation>une entrée manque</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the link to the previous entry</source>
        <translation>le lien avec l’entrée précédente ne tient pas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>its content was changed</source>
        <translation>son contenu a été modifié</translation>
    </message>
</context>
<context>
    <name>BackupReminder</name>
    <message>
        <location filename="../../clinic_app/ui/admin_security.py" line="+489"/>
        <source>No backup has been made yet. Plug in the USB stick and click “Back up now” (Clinic and security tab).</source>
        <translation>Aucune sauvegarde n&apos;a encore été faite. Branchez la clé USB et cliquez sur « Sauvegarder maintenant » (onglet Centre et sécurité).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No backup in the last day. Plug in the USB stick and click “Back up now” (Clinic and security tab).</source>
        <translation>Aucune sauvegarde depuis plus d’un jour. Branchez la clé USB et cliquez sur « Sauvegarder maintenant » (onglet Centre et sécurité).</translation>
    </message>
</context>
<context>
    <name>BackupSettings</name>
    <message>
        <location line="+15"/>
        <source>Backups and exports</source>
        <translation>Sauvegardes et exports</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+69"/>
        <source>Back up now…</source>
        <translation>Sauvegarder maintenant…</translation>
    </message>
    <message>
        <location line="-66"/>
        <source>De-identified export…</source>
        <translation>Export anonymisé…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CSV files without names or numbers, for the district&apos;s statistics</source>
        <translation>Fichiers CSV sans noms ni numéros, pour les statistiques du district</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Backup</source>
        <translation>Sauvegarde</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Statistics</source>
        <translation>Statistiques</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Last backup: {when}</source>
        <translation>Dernière sauvegarde : {when}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No backup yet.</source>
        <translation>Aucune sauvegarde pour l’instant.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Folder for the backup</source>
        <translation>Dossier de la sauvegarde</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Backing up…</source>
        <translation>Sauvegarde en cours…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Backup written and checked OK: {file} ({size} MB).</source>
        <translation>Sauvegarde écrite et vérifiée : {file} ({size} Mo).</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Folder for the export</source>
        <translation>Dossier de l’export</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n file(s) written to {folder}.</source>
        <translation>
            <numerusform>%n fichier écrit dans {folder}.</numerusform>
            <numerusform>%n fichiers écrits dans {folder}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CarryForm</name>
    <message>
        <location filename="../../clinic_app/ui/administration.py" line="-198"/>
        <source>Sync by USB stick (no connection)</source>
        <translation>Synchronisation par clé USB (sans connexion)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1. Write the changes waiting for central to a USB stick. 2. Central&apos;s operator imports the file and writes an answer next to it. 3. Bring the answer back here.</source>
        <translation>1. Copiez sur une clé USB les changements en attente pour le central. 2. L’opérateur du central importe le fichier et écrit une réponse à côté. 3. Rapportez la réponse ici.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Write the changes to a USB stick…</source>
        <translation>Copier les changements sur une clé USB…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bring back central&apos;s answer…</source>
        <translation>Importer la réponse du central…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>USB stick or folder</source>
        <translation>Clé USB ou dossier</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Central&apos;s answer</source>
        <translation>Réponse du central</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Answer from central (*.clinicanswer)</source>
        <translation>Réponse du central (*.clinicanswer)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Written: {file}. Give it to central&apos;s operator; nothing leaves this computer&apos;s queue until central&apos;s answer is brought back.</source>
        <translation>Écrit : {file}. Remettez-le à l’opérateur du central ; rien ne quitte la file d’attente de cet ordinateur avant le retour de la réponse du central.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Central&apos;s answer applied: {acknowledged} change(s) received by central, {applied} brought back.</source>
        <translation>Réponse du central appliquée : {acknowledged} changement(s) reçu(s) par le central, {applied} rapporté(s).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Central refused part of the file; the rest waits for the next file.</source>
        <translation>Le central a refusé une partie du fichier ; le reste attend le prochain fichier.</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../clinic_app/ui/account.py" line="+94"/>
        <source>Change my password</source>
        <translation>Changer mon mot de passe</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Current password</source>
        <translation>Mot de passe actuel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password</source>
        <translation>Nouveau mot de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password again</source>
        <translation>Nouveau mot de passe (à nouveau)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Change the password</source>
        <translation>Changer le mot de passe</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe diffèrent.</translation>
    </message>
</context>
<context>
    <name>ChartView</name>
    <message>
        <location filename="../../clinic_app/ui/chart.py" line="+266"/>
        <source>← Patient list</source>
        <translation>← Liste des patients</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the search (Esc)</source>
        <translation>Retour à la recherche (Échap)</translation>
    </message>
    <message>
        <location line="+27"/>
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
        <location line="+24"/>
        <source>Who opened this record?</source>
        <translation>Qui a ouvert ce dossier ?</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Chart</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{age}, born {date}</source>
        <translation>{age}, né(e) le {date}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>National no. {number}</source>
        <translation>N° national {number}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Record no. {number}</source>
        <translation>Dossier n° {number}</translation>
    </message>
    <message>
        <location line="+4"/>
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
        <location filename="../../clinic_app/ui/administration.py" line="+24"/>
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
    <name>ConflictsDialog</name>
    <message>
        <location filename="../../clinic_app/ui/conflicts.py" line="+55"/>
        <location line="+50"/>
        <source>Conflicts to settle</source>
        <translation>Conflits à régler</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>The same information was changed in two places without either seeing the other. Choose the right value; it then replaces the other everywhere.</source>
        <translation>La même information a été modifiée à deux endroits sans que l’un voie l’autre. Choisissez la bonne valeur : elle remplacera l’autre partout.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First value</source>
        <translation>Première valeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Second value</source>
        <translation>Seconde valeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kept meanwhile</source>
        <translation>Gardée en attendant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Found</source>
        <translation>Détecté</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No conflict is waiting.</source>
        <translation>Aucun conflit en attente.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep the first value</source>
        <translation>Garder la première valeur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep the second value</source>
        <translation>Garder la seconde valeur</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Given name(s)</source>
        <translation>Prénom(s)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Family name</source>
        <translation>Nom</translation>
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
        <source>National number</source>
        <translation>N° national</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Village</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>Settling conflicts is not available in this version of the program.</source>
        <translation type="vanished">Le règlement des conflits n’est pas disponible dans cette version du programme.</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>this clinic</source>
        <translation>ce centre</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>another clinic</source>
        <translation>un autre centre</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(empty)</source>
        <translation>(vide)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{value} — {where}</source>
        <translation>{value} — {where}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value} — {where}, {when}</source>
        <translation>{value} — {where}, {when}</translation>
    </message>
</context>
<context>
    <name>ConsentPanel</name>
    <message>
        <location filename="../../clinic_app/ui/privacy.py" line="+42"/>
        <source>Shared with central</source>
        <translation>Partagé avec le central</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shared with other clinics</source>
        <translation>Partagé avec les autres centres</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Record the consent</source>
        <translation>Enregistrer le consentement</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Patient&apos;s consent</source>
        <translation>Consentement du patient</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No decision recorded: the clinic&apos;s rule applies.</source>
        <translation>Aucune décision enregistrée : la règle du centre s’applique.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recorded by {name} on {when}.</source>
        <translation>Enregistré par {name} le {when}.</translation>
    </message>
</context>
<context>
    <name>ConsultationDetail</name>
    <message>
        <location filename="../../clinic_app/ui/chart.py" line="-154"/>
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
        <location line="-156"/>
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
        <location line="+34"/>
        <source>{label}: enter a number.</source>
        <translation>{label} : saisissez un nombre.</translation>
    </message>
</context>
<context>
    <name>DiagnosisDialog</name>
    <message>
        <location filename="../../clinic_app/ui/doctor.py" line="+259"/>
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
        <location filename="../../clinic_app/ui/stock.py" line="+257"/>
        <source>Dispense a prescription</source>
        <translation>Dispenser une ordonnance</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Scan the prescription&apos;s QR code, or type its number</source>
        <translation>Scannez le code QR de l’ordonnance, ou tapez son numéro</translation>
    </message>
    <message>
        <location line="+5"/>
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
        <location line="+0"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dispense</source>
        <translation>Dispenser</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Dispensed</source>
        <translation>Dispensée</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To dispense</source>
        <translation>À dispenser</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Choose a prescription in the list.</source>
        <translation>Choisissez une ordonnance dans la liste.</translation>
    </message>
    <message>
        <location line="+10"/>
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
    <name>EmergencyAccessDialog</name>
    <message>
        <location filename="../../clinic_app/ui/emergency.py" line="+62"/>
        <location line="+47"/>
        <source>Emergency access</source>
        <translation>Accès d’urgence</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Your role does not open patients&apos; charts. In an emergency you may open one: the opening is recorded with your reason, and the clinic admin reviews it.</source>
        <translation>Votre rôle n’ouvre pas les dossiers des patients. En urgence, vous pouvez en ouvrir un : l’ouverture est enregistrée avec votre motif, et l’administrateur du centre la contrôle.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>e.g. patient unconscious at the dispensary, allergies needed</source>
        <translation>ex. : patient inconscient à la pharmacie, allergies à connaître</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name or national no.</source>
        <translation>Nom ou n° national</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Open in emergency</source>
        <translation>Ouvrir en urgence</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>No patient found. Check the spelling.</source>
        <translation>Aucun patient trouvé. Vérifiez l’orthographe.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type why you need this chart.</source>
        <translation>Indiquez pourquoi vous avez besoin de ce dossier.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search for the patient, then choose them.</source>
        <translation>Recherchez le patient, puis choisissez-le.</translation>
    </message>
</context>
<context>
    <name>EmergencyChartWindow</name>
    <message>
        <location line="+19"/>
        <source>Emergency access — chart</source>
        <translation>Accès d’urgence — dossier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Emergency access — recorded. Read only; the clinic admin reviews it.</source>
        <translation>Accès d’urgence — tracé. Lecture seule ; l’administrateur du centre le contrôle.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>National no. {number}</source>
        <translation>N° national {number}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Close the chart</source>
        <translation>Fermer le dossier</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Your role may read the identity only; ask a nurse or a doctor for the consultations and allergies.</source>
        <translation>Votre rôle ne permet de lire que l’identité ; demandez les consultations et les allergies à un(e) infirmier(ère) ou à un médecin.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Allergies: {list}</source>
        <translation>Allergies : {list}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No known allergy</source>
        <translation>Aucune allergie connue</translation>
    </message>
</context>
<context>
    <name>EmergencyReview</name>
    <message>
        <location filename="../../clinic_app/ui/audit_view.py" line="+25"/>
        <source>What you found: e.g. asked the storekeeper; patient had fainted, justified</source>
        <translation>Ce que vous avez constaté : ex. vu avec le magasinier ; patient évanoui, accès justifié</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mark as reviewed</source>
        <translation>Marquer comme contrôlé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No emergency access waiting for review.</source>
        <translation>Aucun accès d’urgence en attente de contrôle.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reason given</source>
        <translation>Motif donné</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Review note</source>
        <translation>Note de contrôle</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>{when} — {who}
record no. {number}</source>
        <translation>{when} — {who}
dossier n° {number}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Reviewed.</source>
        <translation>Contrôlé.</translation>
    </message>
</context>
<context>
    <name>EnrolmentForm</name>
    <message>
        <location filename="../../clinic_app/ui/administration.py" line="-197"/>
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
        <location filename="../../clinic_app/ui/login.py" line="+188"/>
        <location line="+55"/>
        <source>New clinic</source>
        <translation>Nouveau centre de santé</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>e.g. TRV</source>
        <translation>ex. : TRV</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+87"/>
        <source>Create the clinic</source>
        <translation>Créer le centre</translation>
    </message>
    <message>
        <location line="-84"/>
        <source>Restore a backup…</source>
        <translation>Restaurer une sauvegarde…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A new computer for an existing clinic: restore its backup</source>
        <translation>Nouvel ordinateur pour un centre existant : restaurez sa sauvegarde</translation>
    </message>
    <message>
        <location line="+6"/>
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
        <location line="+27"/>
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
    <name>LockPanel</name>
    <message>
        <location filename="../../clinic_app/ui/lock.py" line="+139"/>
        <source>Screen locked</source>
        <translation>Écran verrouillé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} ({username}) is logged in.</source>
        <translation>{name} ({username}) est connecté(e).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The screen locked itself after a while without use. Your work is kept.</source>
        <translation>L’écran s’est verrouillé après un moment sans activité. Votre travail est conservé.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Your password</source>
        <translation>Votre mot de passe</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+55"/>
        <location line="+33"/>
        <source>Unlock</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <location line="-85"/>
        <source>Switch user</source>
        <translation>Changer d’utilisateur</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>User name</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+118"/>
        <source>Log in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location line="-66"/>
        <source>Type your password.</source>
        <translation>Saisissez votre mot de passe.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>What was typed and not saved will be lost if another user logs in. To keep it, unlock with your password and save it first.</source>
        <translation>Ce qui a été saisi et non enregistré sera perdu si un autre utilisateur se connecte. Pour le garder, déverrouillez avec votre mot de passe et enregistrez d’abord.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Enter your user name.</source>
        <translation>Saisissez votre identifiant.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Opening…</source>
        <translation>Ouverture…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../clinic_app/ui/login.py" line="-152"/>
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
        <location filename="../../clinic_app/ui/main_window.py" line="+59"/>
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
        <location line="+4"/>
        <source>My password…</source>
        <translation>Mon mot de passe…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change my password</source>
        <translation>Changer mon mot de passe</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Emergency access</source>
        <translation>Accès d’urgence</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open a patient&apos;s chart in an emergency; every opening is reviewed</source>
        <translation>Ouvrir le dossier d’un patient en urgence ; chaque ouverture est contrôlée</translation>
    </message>
    <message>
        <location line="+97"/>
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
        <location filename="../../clinic_app/ui/administration.py" line="-112"/>
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
        <location filename="../../clinic_app/ui/patients.py" line="+119"/>
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
        <location line="+5"/>
        <source>Conflicts</source>
        <translation>Conflits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Patient details changed in two places: choose the right value</source>
        <translation>Données du patient modifiées à deux endroits : choisissez la bonne valeur</translation>
    </message>
    <message>
        <location line="+81"/>
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
        <location line="-173"/>
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
    <name>PendingStaffPanel</name>
    <message>
        <location filename="../../clinic_app/ui/staff_accounts.py" line="+37"/>
        <source>Staff sent by central, without an account here</source>
        <translation>Personnel envoyé par le central, sans compte ici</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Central&apos;s staff list names these people for this clinic. Open an account for each with a first password; they choose their own at their first log-in.</source>
        <translation>La liste du personnel du central indique ces personnes pour ce centre. Ouvrez un compte pour chacune avec un premier mot de passe ; elles choisiront le leur à leur première connexion.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User name</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Roles</source>
        <translation>Rôles</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To do</source>
        <translation>À faire</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Open the account…</source>
        <translation>Ouvrir le compte…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>active again at central: give a new password</source>
        <translation>de nouveau actif au central : donner un nouveau mot de passe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>new: open the account</source>
        <translation>nouveau : ouvrir le compte</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Open the account of {name}</source>
        <translation>Ouvrir le compte de {name}</translation>
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
    <message>
        <location line="+29"/>
        <source>Allergy</source>
        <translation>Allergie</translation>
    </message>
</context>
<context>
    <name>Reception</name>
    <message>
        <location filename="../../clinic_app/ui/stock.py" line="-262"/>
        <source>Receive a delivery</source>
        <translation>Réceptionner une livraison</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Scan the barcode on the box</source>
        <translation>Scannez le code-barres de la boîte</translation>
    </message>
    <message>
        <source>Printed on the box</source>
        <translation type="vanished">Imprimée sur la boîte</translation>
    </message>
    <message>
        <location line="+34"/>
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
        <location line="+40"/>
        <source>Not in the catalogue: ask central to add it, or check the box.</source>
        <translation>Absent du catalogue : demandez au central de l’ajouter, ou vérifiez la boîte.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Received: {quantity} × {product}, lot {lot}.</source>
        <translation>Réceptionné : {quantity} × {product}, lot {lot}.</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <location filename="../../clinic_app/ui/account.py" line="+20"/>
        <source>Recovery key</source>
        <translation>Clé de secours</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Write down the recovery key</source>
        <translation>Notez la clé de secours</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>If every administrator forgets their password, this key is the only way to open the clinic&apos;s data. It is shown only now. Write it on paper and keep the paper locked away, apart from the computer.</source>
        <translation>Si tous les administrateurs oublient leur mot de passe, cette clé est le seul moyen d’ouvrir les données du centre. Elle n’est affichée que maintenant. Écrivez-la sur papier et gardez ce papier sous clé, loin de l’ordinateur.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The last group, as written on your paper</source>
        <translation>Le dernier groupe, tel qu’écrit sur votre papier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>I have written it down</source>
        <translation>Je l’ai notée</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type the last group</source>
        <translation>Saisissez le dernier groupe</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>That is not the last group of the key. Check what you wrote down.</source>
        <translation>Ce n’est pas le dernier groupe de la clé. Vérifiez ce que vous avez noté.</translation>
    </message>
</context>
<context>
    <name>RegisterPatientDialog</name>
    <message>
        <location filename="../../clinic_app/ui/patients.py" line="+191"/>
        <location line="+57"/>
        <source>New patient</source>
        <translation>Nouveau patient</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>— choose —</source>
        <translation>— choisir —</translation>
    </message>
    <message>
        <location line="+5"/>
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
        <location line="+26"/>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Save anyway</source>
        <translation>Enregistrer quand même</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../clinic_app/ui/account.py" line="+14"/>
        <source>Restore a backup</source>
        <translation>Restaurer une sauvegarde</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose the backup file (on the USB stick), then log in with an administrator&apos;s account as it was when the backup was made.</source>
        <translation>Choisissez le fichier de sauvegarde (sur la clé USB), puis connectez-vous avec un compte administrateur tel qu’il était au moment de la sauvegarde.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No file chosen</source>
        <translation>Aucun fichier choisi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Backup file</source>
        <translation>Fichier de sauvegarde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User name</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Restore</source>
        <translation>Restaurer</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Clinic backup</source>
        <translation>Sauvegarde du centre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clinic backups (*.clinicbackup)</source>
        <translation>Sauvegardes du centre (*.clinicbackup)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose the backup file.</source>
        <translation>Choisissez le fichier de sauvegarde.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enter your user name.</source>
        <translation>Saisissez votre identifiant.</translation>
    </message>
</context>
<context>
    <name>RolesDialog</name>
    <message>
        <location filename="../../clinic_app/ui/admin_security.py" line="-276"/>
        <location line="+16"/>
        <source>Roles of {name}</source>
        <translation>Rôles de {name}</translation>
    </message>
    <message>
        <location line="-11"/>
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
    <name>SecuritySettings</name>
    <message>
        <location line="+31"/>
        <source>Security</source>
        <translation>Sécurité</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Change my password…</source>
        <translation>Changer mon mot de passe…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New recovery key…</source>
        <translation>Nouvelle clé de secours…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The paper with the old key was lost or seen: make a new one</source>
        <translation>Le papier de l’ancienne clé a été perdu ou vu : créez-en une nouvelle</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Share with central the records of patients who made no decision</source>
        <translation>Partager avec le central les dossiers des patients sans décision</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>My account</source>
        <translation>Mon compte</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recovery key</source>
        <translation>Clé de secours</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock the screen after</source>
        <translation>Verrouiller l’écran après</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Consent by default</source>
        <translation>Consentement par défaut</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Your password was changed.</source>
        <translation>Votre mot de passe a été changé.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The new recovery key is in force; the old one opens nothing.</source>
        <translation>La nouvelle clé de secours est en vigueur ; l’ancienne n’ouvre plus rien.</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>The screen now locks after %n minute(s) without use.</source>
        <translation>
            <numerusform>L’écran se verrouille désormais après %n minute sans activité.</numerusform>
            <numerusform>L’écran se verrouille désormais après %n minutes sans activité.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Records of patients who made no decision are shared with central.</source>
        <translation>Les dossiers des patients sans décision sont partagés avec le central.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Records of patients who made no decision stay at the clinic.</source>
        <translation>Les dossiers des patients sans décision restent au centre.</translation>
    </message>
</context>
<context>
    <name>SickLeaveDialog</name>
    <message>
        <location filename="../../clinic_app/ui/doctor.py" line="+33"/>
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
        <location line="+9"/>
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
        <location line="+1"/>
        <source>Extends</source>
        <translation>Prolonge</translation>
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
        <location filename="../../clinic_app/ui/stock.py" line="+141"/>
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
        <location filename="../../clinic_app/ui/sync_status.py" line="+67"/>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
</context>
<context>
    <name>TemporaryPasswordDialog</name>
    <message>
        <location filename="../../clinic_app/ui/admin_security.py" line="-174"/>
        <source>Give the person this temporary password in private; the program asks them to choose their own at their next log-in.</source>
        <translation>Donnez ce mot de passe provisoire à la personne en privé ; le programme lui demandera de choisir le sien à sa prochaine connexion.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Temporary password</source>
        <translation>Mot de passe provisoire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Again</source>
        <translation>À nouveau</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe diffèrent.</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <location line="-229"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User name</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Roles</source>
        <translation>Rôles</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Add a user…</source>
        <translation>Ajouter un utilisateur…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset the password…</source>
        <translation>Réinitialiser le mot de passe…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change the roles…</source>
        <translation>Modifier les rôles…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+78"/>
        <source>Disable</source>
        <translation>Désactiver</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>temporary password</source>
        <translation>mot de passe provisoire</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>locked out for a while</source>
        <translation>bloqué un moment</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>deactivated by central</source>
        <translation>désactivé par le central</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Enable…</source>
        <translation>Réactiver…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Add a user</source>
        <translation>Ajouter un utilisateur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Reset the password of {name}</source>
        <translation>Réinitialiser le mot de passe de {name}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name} has a temporary password; they choose their own at the next log-in.</source>
        <translation>{name} a un mot de passe provisoire et choisira le sien à la prochaine connexion.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Roles of {name} changed; they apply at the next log-in.</source>
        <translation>Rôles de {name} modifiés ; ils s’appliquent à la prochaine connexion.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{name} can no longer log in.</source>
        <translation>{name} ne peut plus se connecter.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enable {name} again</source>
        <translation>Réactiver {name}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} may log in again with the temporary password.</source>
        <translation>{name} peut de nouveau se connecter avec le mot de passe provisoire.</translation>
    </message>
</context>
<context>
    <name>WhoOpenedDialog</name>
    <message>
        <location filename="../../clinic_app/ui/privacy.py" line="+39"/>
        <location line="+1"/>
        <source>Who opened this record?</source>
        <translation>Qui a ouvert ce dossier ?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} — record no. {number}</source>
        <translation>{name} — dossier n° {number}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workstation</source>
        <translation>Poste</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Emergency access</source>
        <translation>Accès d’urgence</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chart opened</source>
        <translation>Dossier ouvert</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n opening(s).</source>
        <translation>
            <numerusform>%n ouverture.</numerusform>
            <numerusform>%n ouvertures.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>_TaskDialog</name>
    <message>
        <location filename="../../clinic_app/ui/account.py" line="-210"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Please wait…</source>
        <translation>Veuillez patienter…</translation>
    </message>
</context>
<context>
    <name>actions</name>
    <message>
        <location filename="../../clinic_app/security/permissions.py" line="+126"/>
        <source>search patients</source>
        <translation>rechercher des patients</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>open a patient&apos;s record</source>
        <translation>ouvrir le dossier d&apos;un patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>register or edit a patient</source>
        <translation>enregistrer ou modifier un patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>record a consultation</source>
        <translation>enregistrer une consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>record an allergy</source>
        <translation>enregistrer une allergie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>add a diagnosis</source>
        <translation>ajouter un diagnostic</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>write a prescription</source>
        <translation>rédiger une ordonnance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>issue a sick-leave certificate</source>
        <translation>délivrer un certificat d&apos;arrêt de travail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>print a document</source>
        <translation>imprimer un document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>see the stock</source>
        <translation>consulter le stock</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>receive stock</source>
        <translation>réceptionner du stock</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dispense medicines</source>
        <translation>dispenser des médicaments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>see prescriptions</source>
        <translation>consulter les ordonnances</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>manage user accounts and keys</source>
        <translation>gérer les comptes et les clés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>change the clinic&apos;s settings</source>
        <translation>modifier les réglages de la clinique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>enrol the clinic with central</source>
        <translation>inscrire la clinique auprès du central</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>synchronise with central</source>
        <translation>synchroniser avec le central</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>write off stock</source>
        <translation>sortir du stock (perte, péremption)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>record a patient&apos;s consent</source>
        <translation>enregistrer le consentement d&apos;un patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>open a record in an emergency</source>
        <translation>ouvrir un dossier en urgence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>review emergency accesses</source>
        <translation>revoir les accès d&apos;urgence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>read the audit trail</source>
        <translation>consulter le journal d&apos;audit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>export statistics</source>
        <translation>exporter des statistiques</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>back up the clinic</source>
        <translation>sauvegarder la clinique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>restore the clinic</source>
        <translation>restaurer la clinique</translation>
    </message>
</context>
<context>
    <name>admin</name>
    <message>
        <location filename="../../clinic_app/ui/admin_security.py" line="-202"/>
        <source>active</source>
        <translation>actif</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>disabled</source>
        <translation>désactivé</translation>
    </message>
</context>
<context>
    <name>audit</name>
    <message>
        <location filename="../../clinic_app/ui/roles.py" line="+31"/>
        <source>Logged in</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logged out</source>
        <translation>Déconnexion</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Unlocked the screen</source>
        <translation>Écran déverrouillé</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Failed log-in</source>
        <translation>Connexion refusée</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Created a user</source>
        <translation>Utilisateur créé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed their password</source>
        <translation>Mot de passe changé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset a password</source>
        <translation>Mot de passe réinitialisé</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>Changed roles</source>
        <translation>Rôles modifiés</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Wrote off expired stock</source>
        <translation>Stock périmé retiré</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Disabled a user</source>
        <translation>Utilisateur désactivé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enabled a user</source>
        <translation>Utilisateur réactivé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New recovery key</source>
        <translation>Nouvelle clé de secours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Searched patients</source>
        <translation>Recherche de patients</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registered a patient</source>
        <translation>Patient enregistré</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opened a chart</source>
        <translation>Dossier ouvert</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+55"/>
        <source>Emergency access</source>
        <translation>Accès d’urgence</translation>
    </message>
    <message>
        <location line="-54"/>
        <source>Emergency search</source>
        <translation>Recherche d’urgence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Listed emergency accesses</source>
        <translation>Liste des accès d’urgence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reviewed an emergency access</source>
        <translation>Accès d’urgence contrôlé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recorded a consultation</source>
        <translation>Consultation enregistrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded an allergy</source>
        <translation>Allergie enregistrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added a diagnosis</source>
        <translation>Diagnostic ajouté</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrote a prescription</source>
        <translation>Ordonnance rédigée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issued a sick-leave certificate</source>
        <translation>Arrêt de travail délivré</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printed a document</source>
        <translation>Document imprimé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded consent</source>
        <translation>Consentement enregistré</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed the consent rule</source>
        <translation>Règle de consentement modifiée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed the idle lock</source>
        <translation>Verrouillage automatique modifié</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Viewed the audit trail</source>
        <translation>Journal d’audit consulté</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verified the audit trail</source>
        <translation>Journal d’audit vérifié</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opened with the recovery key</source>
        <translation>Ouverture avec la clé de secours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed the clinic&apos;s key</source>
        <translation>Clé du centre changée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Viewed who opened a chart</source>
        <translation>« Qui a ouvert ce dossier ? » consulté</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received stock</source>
        <translation>Réception de stock</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>broken</source>
        <translation>rompue</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Allergy</source>
        <translation>Allergie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit trail</source>
        <translation>Journal d’audit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backup</source>
        <translation>Sauvegarde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drug catalogue</source>
        <translation>Catalogue des médicaments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clinic</source>
        <translation>Centre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Code list</source>
        <translation>Liste de codes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diagnosis</source>
        <translation>Diagnostic</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Consultation</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Consent</source>
        <translation>Consentement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prescription</source>
        <translation>Ordonnance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Setting</source>
        <translation>Réglage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sick-leave certificate</source>
        <translation>Arrêt de travail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stock movement</source>
        <translation>Mouvement de stock</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User account</source>
        <translation>Compte utilisateur</translation>
    </message>
    <message>
        <location line="-78"/>
        <location line="+34"/>
        <source>Dispensed a prescription</source>
        <translation>Ordonnance délivrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrote off stock</source>
        <translation>Stock retiré</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Made a backup</source>
        <translation>Sauvegarde faite</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Restored a backup</source>
        <translation>Sauvegarde restaurée</translation>
    </message>
    <message>
        <location line="-37"/>
        <location line="+38"/>
        <source>De-identified export</source>
        <translation>Export anonymisé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enrolled with central</source>
        <translation>Inscription auprès du central</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synchronised</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported ICD-11 codes</source>
        <translation>Codes CIM-11 importés</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>done</source>
        <translation>fait</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>refused</source>
        <translation>refusé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <location filename="../../clinic_app/cli.py" line="+111"/>
        <source>Written: {path}
Import it at central (clinic-central import FILE), then bring back the answer.</source>
        <translation>Écrit : {path}
Faites-le importer au central (clinic-central import FICHIER), puis rapportez la réponse.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Answer applied: {acknowledged} change(s) acknowledged by central, {applied} received.</source>
        <translation>Réponse appliquée : {acknowledged} changement(s) confirmé(s) par le central, {applied} reçu(s).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Central refused part of the file: {reason}</source>
        <translation>Le central a refusé une partie du fichier : {reason}</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Clinic enrolled with {server}</source>
        <translation>Clinique inscrite auprès de {server}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sync done: {pushed} change(s) sent in {batches} batch(es), {pulled} received, {pending} still waiting.</source>
        <translation>Synchronisation faite : {pushed} changement(s) envoyé(s) en {batches} lot(s), {pulled} reçu(s), {pending} encore en attente.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/security/cli.py" line="+97"/>
        <source>Clinic opened with the recovery key: {user} is an administrator
and can log in with the new password. If the recovery sheet may have been
seen, run `clinic-app rekey` now: it makes a new key and a new sheet.</source>
        <translation>Clinique ouverte avec la clé de secours : {user} est administrateur
et peut se connecter avec le nouveau mot de passe. Si la feuille de secours a pu être
vue, lancez `clinic-app rekey` maintenant : cela crée une nouvelle clé et une nouvelle feuille.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>audit trail intact: {entries} entries</source>
        <translation>journal d&apos;audit intact : {entries} entrées</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>audit trail broken at entry #{seq} ({reason})</source>
        <translation>journal d&apos;audit rompu à l&apos;entrée n° {seq} ({reason})</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The clinic&apos;s database key was changed. New recovery key (shown once;
write it down or print it, and keep it away from this computer):</source>
        <translation>La clé de la base de données de la clinique a été changée. Nouvelle clé de secours (affichée une seule fois ;
notez-la ou imprimez-la, et gardez-la loin de cet ordinateur) :</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>These users need a temporary password: {names}</source>
        <translation>Ces utilisateurs ont besoin d&apos;un mot de passe temporaire : {names}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Temporary password set for {user}; they will be asked to change it.</source>
        <translation>Mot de passe temporaire défini pour {user} ; il lui sera demandé de le changer.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Password changed for {user}.</source>
        <translation>Mot de passe changé pour {user}.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/storage/backup_cli.py" line="+60"/>
        <source>Clinic restored into {folder} from the backup made {made} UTC.</source>
        <translation>Clinique restaurée dans {folder} à partir de la sauvegarde du {made} UTC.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Backup written and checked: {path} ({size} bytes).</source>
        <translation>Sauvegarde écrite et vérifiée : {path} ({size} octets).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>De-identified files written: {paths}</source>
        <translation>Fichiers désidentifiés écrits : {paths}</translation>
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
        <location filename="../../clinic_app/ui/display.py" line="+22"/>
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
        <location filename="../../clinic_app/documents/pdf.py" line="+102"/>
        <source>The document could not be saved in {folder} ({reason}). Check that the folder exists and that there is free space.</source>
        <translation>Le document n’a pas pu être enregistré dans {folder} ({reason}). Vérifiez que le dossier existe et qu’il reste de la place.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The document does not fit on its pages (a text in it is far too long). Nothing was printed; tell the clinic admin.</source>
        <translation>Le document ne tient pas sur ses pages (un texte y est beaucoup trop long). Rien n’a été imprimé ; prévenez l’administrateur du centre.</translation>
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
        <source>The clinic&apos;s key file {path} is missing: no password can open the database without it. Put it back from a copy of this folder, or restore the clinic from a backup.</source>
        <translation>Le fichier de clés de la clinique {path} est absent : sans lui, aucun mot de passe n&apos;ouvre la base de données. Remettez-le depuis une copie de ce dossier, ou restaurez la clinique depuis une sauvegarde.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A clinic database already exists in {path}; nothing was changed.</source>
        <translation>Une base de données du centre existe déjà dans {path} ; rien n’a été modifié.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The folder {path} cannot hold the clinic&apos;s data: it is a file, or it cannot be created or written. Choose another folder.</source>
        <translation>Le dossier {path} ne peut pas recevoir les données du centre : c’est un fichier, ou il ne peut être ni créé ni écrit. Choisissez un autre dossier.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The clinic database cannot be read: its key was changed (log in again) or the file is damaged (restore the latest backup). Nothing more was written.</source>
        <translation>La base du centre ne peut pas être lue : sa clé a changé (reconnectez-vous) ou le fichier est endommagé (restaurez la dernière sauvegarde). Rien de plus n’a été écrit.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The clinic database is busy: another program is writing to it. Try again in a moment; nothing was lost.</source>
        <translation>La base du centre est occupée : un autre programme y écrit. Réessayez dans un instant ; rien n’a été perdu.</translation>
    </message>
    <message>
        <location line="+8"/>
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
        <source>Your role does not allow you to {action}. Ask a colleague who may.</source>
        <translation>Votre rôle ne vous permet pas de {action}. Demandez à un collègue qui le peut.</translation>
    </message>
    <message>
        <source>Your role does not allow this action ({action}). Ask a colleague who may.</source>
        <translation type="vanished">Votre rôle ne permet pas cette action ({action}). Demandez à un collègue habilité.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>You logged in with a temporary password. Choose your own password first (My password…); until then nothing else can be done.</source>
        <translation>Vous êtes connecté avec un mot de passe temporaire. Choisissez d’abord votre propre mot de passe (Mon mot de passe…) ; d’ici là, rien d’autre n’est possible.</translation>
    </message>
    <message>
        <location line="+13"/>
        <location filename="../../clinic_app/records/consultations.py" line="+100"/>
        <location line="+62"/>
        <source>Please check the form.</source>
        <translation>Veuillez vérifier le formulaire.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The record was not found; it may have been removed.</source>
        <translation>L’enregistrement est introuvable ; il a peut-être été supprimé.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/inventory/scanning.py" line="+186"/>
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
        <location line="+16"/>
        <source>The typed code could not be read in full: {rest} is not part of it. Type it as printed under the barcode, for example (01)03614142000018(17)270630(10)LOT2024A.</source>
        <translation>Le code tapé n’a pas pu être lu en entier : {rest} n’en fait pas partie. Tapez-le tel qu’il est imprimé sous le code-barres, par exemple (01)03614142000018(17)270630(10)LOT2024A.</translation>
    </message>
    <message>
        <location line="+23"/>
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
        <location filename="../../clinic_app/records/certificates.py" line="+57"/>
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
        <location line="+10"/>
        <source>Certificate {number} ended on {end}: its extension would start on {expected}, more than {max} days ago, which no certificate may. If the patient is still unfit for work, issue a new initial certificate starting today.</source>
        <translation>Le certificat {number} a pris fin le {end} : sa prolongation commencerait le {expected}, il y a plus de {max} jours, ce qu&apos;aucun certificat ne peut faire. Si le patient est toujours inapte au travail, établissez un nouveau certificat initial à partir d&apos;aujourd&apos;hui.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This period overlaps certificate {number} ({start} to {end}) of the same patient. Issue an extension of that certificate, or start after {end}.</source>
        <translation>Cette période chevauche le certificat {number} (du {start} au {end}) du même patient. Délivrez une prolongation de ce certificat, ou commencez après le {end}.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Choose whether this is an initial certificate or an extension.</source>
        <translation>Indiquez s’il s’agit d’un arrêt initial ou d’une prolongation.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The number of days of sick leave must be {min} to {max}.</source>
        <translation>Le nombre de jours d’arrêt doit être compris entre {min} et {max}.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Say whether the patient may go out during the leave.</source>
        <translation>Indiquez si le patient peut sortir pendant l&apos;arrêt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>An extension must give the number of the certificate it extends.</source>
        <translation>Une prolongation doit indiquer le numéro du certificat qu’elle prolonge.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>An initial certificate extends no other; choose &quot;extension&quot; or clear the number.</source>
        <translation>Un arrêt initial ne prolonge aucun autre certificat ; choisissez « prolongation » ou effacez le numéro.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>No certificate {number} was issued to this patient. Check the number on the previous certificate.</source>
        <translation>Aucun certificat {number} n’a été délivré à ce patient. Vérifiez le numéro sur le certificat précédent.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Certificate {number} was already extended by {later}. Extend {later} instead.</source>
        <translation>Le certificat {number} a déjà été prolongé par {later}. Prolongez plutôt {later}.</translation>
    </message>
    <message>
        <location line="+63"/>
        <location filename="../../clinic_app/records/diagnoses.py" line="+46"/>
        <source>{code} is not an ICD-11 code. Search by word.</source>
        <translation>{code} n’est pas un code CIM-11. Recherchez par mot.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/consultations.py" line="-56"/>
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
        <location line="+9"/>
        <source>Weight and height do not fit together (body mass index {bmi}); check both.</source>
        <translation>Le poids et la taille ne vont pas ensemble (indice de masse corporelle {bmi}) ; vérifiez les deux.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The consultation&apos;s date must be within the last year, not in the future.</source>
        <translation>La date de la consultation doit se situer dans l’année écoulée, pas dans le futur.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The reason for the visit is missing.</source>
        <translation>Le motif de consultation manque.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/validation.py" line="+40"/>
        <source>This field contains an invisible or control character; retype it.</source>
        <translation>Ce champ contient un caractère invisible ou de contrôle ; saisissez-le à nouveau.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/certificates.py" line="-126"/>
        <location filename="../../clinic_app/validation.py" line="+10"/>
        <source>This text is too long (at most {n} characters).</source>
        <translation>Ce texte est trop long ({n} caractères au plus).</translation>
    </message>
    <message>
        <location filename="../../clinic_app/validation.py" line="+12"/>
        <location line="+11"/>
        <source>This field is required.</source>
        <translation>Ce champ est obligatoire.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>A name starts with a letter and holds only letters, spaces, hyphens and apostrophes.</source>
        <translation>Un nom commence par une lettre et ne contient que des lettres, des espaces, des traits d’union et des apostrophes.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This name mixes letters of different alphabets (such as a Cyrillic letter that looks Latin); retype it in one alphabet.</source>
        <translation>Ce nom mélange des lettres d&apos;alphabets différents (comme une lettre cyrillique qui ressemble à une lettre latine) ; retapez-le dans un seul alphabet.</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>This name has letters the prescriptions and certificates cannot print. Write it in Latin letters, as on the identity card.</source>
        <translation>Ce nom contient des lettres que les ordonnances et certificats ne peuvent pas imprimer. Écrivez-le en lettres latines, comme sur la carte d&apos;identité.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Enter a whole number from {low} to {high}.</source>
        <translation>Saisissez un nombre entier de {low} à {high}.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Enter a number.</source>
        <translation>Saisissez un nombre.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Enter a date (day, month, year).</source>
        <translation>Saisissez une date (jour, mois, année).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Enter a date and time.</source>
        <translation>Saisissez une date et une heure.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The site code has 2 to 10 letters or digits, for example TRV.</source>
        <translation>Le code du site compte 2 à 10 lettres ou chiffres, par exemple TRV.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/consultations.py" line="-29"/>
        <location line="+120"/>
        <source>Name the substance the patient is allergic to.</source>
        <translation>Indiquez la substance à laquelle le patient est allergique.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/icd11_tabulation.py" line="+74"/>
        <source>This file is not a WHO ICD-11 tabulation (columns code, title, class_kind...).</source>
        <translation>Ce fichier n’est pas une tabulation CIM-11 de l’OMS (colonnes code, title, class_kind…).</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/icd11.py" line="+52"/>
        <source>The ICD-11 list received from central is damaged ({detail}); it was not installed and the clinic keeps its current list. Sync will download it again.</source>
        <translation>La liste CIM-11 reçue du central est endommagée ({detail}) ; elle n’a pas été installée et le centre garde sa liste actuelle. La synchronisation la téléchargera de nouveau.</translation>
    </message>
    <message>
        <location line="+163"/>
        <source>The file holds no ICD-11 codes.</source>
        <translation>Le fichier ne contient aucun code CIM-11.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The file could not be read: {reason}</source>
        <translation>Le fichier n’a pas pu être lu : {reason}</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/patients.py" line="+34"/>
        <source>A patient with this national number is already registered. Search for the number and open that record instead.</source>
        <translation>Un patient avec ce numéro national est déjà enregistré. Recherchez ce numéro et ouvrez plutôt son dossier.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/validation.py" line="-168"/>
        <source>The name is missing.</source>
        <translation>Le nom manque.</translation>
    </message>
    <message>
        <source>The name is too long (at most {n} characters).</source>
        <translation type="vanished">Le nom est trop long ({n} caractères au plus).</translation>
    </message>
    <message>
        <source>A name may not contain digits or symbols.</source>
        <translation type="vanished">Un nom ne peut contenir ni chiffres ni symboles.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/patients.py" line="+14"/>
        <source>A patient with the same name and the same date of birth or phone is already registered ({count}). Search for them and open that record; if this is another person, save again.</source>
        <translation>Un patient de même nom et de même date de naissance ou même téléphone est déjà enregistré ({count}). Recherchez-le et ouvrez son dossier ; s'il s'agit d'une autre personne, enregistrez à nouveau.</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Choose the sex.</source>
        <translation>Choisissez le sexe.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The date of birth cannot be in the future or before 1890.</source>
        <translation>La date de naissance ne peut être ni dans le futur ni avant 1890.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The national number has 4 to 32 letters and digits (spaces, dots and dashes are allowed).</source>
        <translation>Le numéro national compte 4 à 32 lettres et chiffres (espaces, points et tirets sont permis).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The phone number is not valid: 6 to 15 digits, which may be grouped with spaces, dashes, dots, slashes or brackets in pairs, and a + before the country code.</source>
        <translation>Le numéro de téléphone n&apos;est pas valide : 6 à 15 chiffres, qui peuvent être groupés par des espaces, tirets, points, barres obliques ou parenthèses par paires, et un + devant l&apos;indicatif du pays.</translation>
    </message>
    <message>
        <source>The phone number is not valid: 6 to 15 digits, which may be grouped with spaces, dashes, dots, slashes or brackets, and a + before the country code.</source>
        <translation type="vanished">Le numéro de téléphone n&apos;est pas valide : 6 à 15 chiffres, qui peuvent être groupés par des espaces, tirets, points, barres obliques ou parenthèses, et un + devant l&apos;indicatif du pays.</translation>
    </message>
    <message>
        <source>The phone number is not valid: 6 to 15 digits, which may be grouped with spaces, dashes, dots or brackets, and a + before the country code.</source>
        <translation type="vanished">Le numéro de téléphone n&apos;est pas valide : 6 à 15 chiffres, qui peuvent être groupés par des espaces, tirets, points ou parenthèses, et un + devant l&apos;indicatif du pays.</translation>
    </message>
    <message>
        <source>The national number has 4 to 32 letters and digits (spaces and dashes are ignored).</source>
        <translation type="vanished">Le numéro national comporte de 4 à 32 lettres et chiffres (les espaces et les tirets sont ignorés).</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/certificates.py" line="-4"/>
        <location filename="../../clinic_app/records/patients.py" line="+135"/>
        <location filename="../../clinic_app/validation.py" line="-55"/>
        <source>This field must be text.</source>
        <translation>Ce champ doit contenir du texte.</translation>
    </message>
    <message>
        <source>The national number has 4 to 32 letters, digits, &apos;-&apos; or &apos;/&apos;.</source>
        <translation type="vanished">Le numéro national comporte de 4 à 32 lettres, chiffres, « - » ou « / ».</translation>
    </message>
    <message>
        <source>The phone number is not valid.</source>
        <translation type="vanished">Le numéro de téléphone n’est pas valide.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/prescriptions.py" line="+73"/>
        <source>Line {n}: give the dose and how often to take it.</source>
        <translation>Ligne {n} : indiquez la dose et la fréquence des prises.</translation>
    </message>
    <message>
        <source>Line {n}: the duration must be 1 to {max} days.</source>
        <translation type="vanished">Ligne {n} : la durée doit être comprise entre 1 et {max} jours.</translation>
    </message>
    <message>
        <source>Line {n}: the quantity must be 1 to {max}.</source>
        <translation type="vanished">Ligne {n} : la quantité doit être comprise entre 1 et {max}.</translation>
    </message>
    <message>
        <source>This patient is recorded as allergic to {substance}, and {drug} matches it. Check, then confirm to prescribe anyway.</source>
        <translation type="vanished">Ce patient est enregistré comme allergique à {substance}, et {drug} y correspond. Vérifiez, puis confirmez pour prescrire quand même.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This patient is recorded as allergic to: {substance}. {drug} is one of them or of the same family. Check, then confirm to prescribe anyway.</source>
        <translation>Ce patient est enregistré comme allergique à : {substance}. {drug} en fait partie ou est de la même famille. Vérifiez, puis confirmez pour prescrire quand même.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Add at least one drug to the prescription.</source>
        <translation>Ajoutez au moins un médicament à l’ordonnance.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A prescription has at most {max} lines.</source>
        <translation>Une ordonnance comporte au plus {max} lignes.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Line {line}: this medicine is already on the prescription; change the first line&apos;s dose or quantity instead.</source>
        <translation>Ligne {line} : ce médicament figure déjà sur l’ordonnance ; modifiez plutôt la dose ou la quantité de la première ligne.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Line {n}: this drug is not in the catalogue.</source>
        <translation>Ligne {n} : ce médicament n’est pas au catalogue.</translation>
    </message>
    <message>
        <source>The password must have at least {n} characters.</source>
        <translation type="vanished">Le mot de passe doit comporter au moins {n} caractères.</translation>
    </message>
    <message>
        <source>Too many failed attempts; try again in {minutes} minutes.</source>
        <translation type="vanished">Trop d’essais manqués ; réessayez dans {minutes} minutes.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/security/accounts.py" line="+90"/>
        <source>Too many failed attempts; try again in {minutes} min.</source>
        <translation>Trop d’essais manqués ; réessayez dans {minutes} min.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many failed attempts; try again in {seconds} s.</source>
        <translation>Trop d’essais manqués ; réessayez dans {seconds} s.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Your password no longer opens the clinic (the clinic&apos;s key was changed). Ask the clinic admin for a temporary password.</source>
        <translation>Votre mot de passe n’ouvre plus le centre (la clé du centre a été changée). Demandez un mot de passe provisoire à l’administrateur du centre.</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>The password must have at least {n} characters. A short sentence is long enough and easy to remember.</source>
        <translation>Le mot de passe doit comporter au moins {n} caractères. Une courte phrase suffit et se retient facilement.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The password must not be the user name. Choose something only you know.</source>
        <translation>Le mot de passe ne doit pas être l’identifiant. Choisissez quelque chose que vous seul(e) connaissez.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The password must not be only digits. Add letters, or use a short sentence.</source>
        <translation>Le mot de passe ne doit pas contenir que des chiffres. Ajoutez des lettres, ou utilisez une courte phrase.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The password must not repeat a single character. Use a short sentence instead.</source>
        <translation>Le mot de passe ne doit pas répéter un seul caractère. Utilisez plutôt une courte phrase.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This password is among the first anyone would try. Choose another one.</source>
        <translation>Ce mot de passe fait partie des premiers que l’on essaierait. Choisissez-en un autre.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>A user name has 2 to 32 characters: lower-case letters, digits, dot, dash or underscore.</source>
        <translation>Un identifiant comporte de 2 à 32 caractères : lettres minuscules, chiffres, point, tiret ou tiret bas.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The institution has deactivated this account at central; it can no longer log in at this clinic. If this is a mistake, ask the clinic admin to contact central.</source>
        <translation>L’institution a désactivé ce compte au central ; il ne peut plus se connecter dans ce centre. S’il s’agit d’une erreur, demandez à l’administrateur du centre de contacter le central.</translation>
    </message>
    <message>
        <location line="+571"/>
        <source>The new password must differ from the current one.</source>
        <translation>Le nouveau mot de passe doit être différent de l’actuel.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>There is no user named {username}.</source>
        <translation>Il n’y a pas d’utilisateur nommé {username}.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The account {username} is disabled. Enable it with a new password.</source>
        <translation>Le compte {username} est désactivé. Réactivez-le avec un nouveau mot de passe.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The clinic must keep at least one active administrator. Give the admin role to someone else first.</source>
        <translation>Le centre doit garder au moins un administrateur actif. Donnez d’abord le rôle d’administrateur à quelqu’un d’autre.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>You cannot disable your own account. Ask another administrator.</source>
        <translation>Vous ne pouvez pas désactiver votre propre compte. Demandez à un autre administrateur.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Central has deactivated {username}. Only central can make the account active again; ask the central operator.</source>
        <translation>Le central a désactivé {username}. Seul le central peut réactiver ce compte ; adressez-vous à l’opérateur du central.</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Choose at least one role.</source>
        <translation>Choisissez au moins un rôle.</translation>
    </message>
    <message>
        <location line="+125"/>
        <source>This person is not in the staff list central sent to this clinic.</source>
        <translation>Cette personne ne figure pas dans la liste du personnel que le central a envoyée à ce centre.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Central has deactivated {username}; their account cannot be opened.</source>
        <translation>Le central a désactivé {username} ; son compte ne peut pas être ouvert.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{username} already has an account at this clinic.</source>
        <translation>{username} a déjà un compte dans ce centre.</translation>
    </message>
    <message>
        <location line="-355"/>
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
        <source>The central server cannot be reached. Nothing was lost: the changes wait in this clinic; run the command again when the link is back (the window retries by itself).</source>
        <translation>Le serveur central est injoignable. Rien n&apos;est perdu : les changements attendent dans cette clinique ; relancez la commande quand la liaison sera revenue (la fenêtre réessaie d&apos;elle-même).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The central server gave an answer this program cannot use ({detail}). Nothing was lost; sync will retry. If this goes on, tell the clinic admin.</source>
        <translation>Le serveur central a donné une réponse inutilisable ({detail}). Rien n’est perdu ; la synchronisation réessaiera. Si cela continue, prévenez l’administrateur du centre.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Nothing answered at {url}. Check the server address (it looks like https://central.example.org, without /api/v1) and this computer&apos;s connection, then enrol again.</source>
        <translation>Rien n’a répondu à l’adresse {url}. Vérifiez l’adresse du serveur (elle ressemble à https://central.example.org, sans /api/v1) et la connexion de cet ordinateur, puis inscrivez le centre à nouveau.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The address {url} answered, but not as a central server does ({detail}). Check the address with central&apos;s operator, then enrol again.</source>
        <translation>L’adresse {url} a répondu, mais pas comme un serveur central ({detail}). Vérifiez l’adresse auprès de l’opérateur du central, puis inscrivez le centre à nouveau.</translation>
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
        <source>Central already has a clinic with site code {code}. Choose another site code.</source>
        <translation>Le central a déjà un centre avec le code de site {code}. Choisissez un autre code de site.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Central refused the enrolment: {detail}. Correct this clinic&apos;s settings and enrol again.</source>
        <translation>Le central a refusé l’inscription : {detail}. Corrigez les réglages de ce centre et inscrivez-le à nouveau.</translation>
    </message>
    <message>
        <location line="+9"/>
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
        <location filename="../../clinic_app/sync/service.py" line="+194"/>
        <source>The central server address starts with https:// (or http://).</source>
        <translation>L’adresse du serveur central commence par https:// (ou http://).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Leave the user name and password out of the server address; type them in their own fields.</source>
        <translation>Ne mettez ni identifiant ni mot de passe dans l’adresse du serveur ; saisissez-les dans leurs propres champs.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/sync/status.py" line="+119"/>
        <source>Sync stopped on an unexpected problem. Nothing was lost; tell the clinic admin.</source>
        <translation>La synchronisation s’est arrêtée sur un problème inattendu. Rien n’est perdu ; prévenez l’administrateur du centre.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/inventory/stock.py" line="+75"/>
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
        <location line="+8"/>
        <source>Prescription {number} is not in this clinic&apos;s records. Check the number on the paper; a prescription from another clinic is dispensed by that clinic&apos;s store.</source>
        <translation>L’ordonnance {number} n’est pas dans les dossiers de ce centre. Vérifiez le numéro sur le papier ; une ordonnance d’un autre centre est dispensée par le magasin de ce centre.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This code is document {number}, not a prescription. Scan the code printed on the prescription.</source>
        <translation>Ce code est celui du document {number}, pas d’une ordonnance. Scannez le code imprimé sur l’ordonnance.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Scan the code printed on the prescription, or type its number (ORD-…).</source>
        <translation>Scannez le code imprimé sur l’ordonnance, ou tapez son numéro (ORD-…).</translation>
    </message>
    <message>
        <location line="+88"/>
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
        <location line="+20"/>
        <source>Type the expiry date printed on the box: every lot needs one.</source>
        <translation>Saisissez la date de péremption imprimée sur la boîte : chaque lot en a une.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The expiry date is not a date; type it as on the box.</source>
        <translation>La date de péremption n’est pas une date ; saisissez-la comme sur la boîte.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>An expiry date more than {years} years ahead is surely mistyped; check it.</source>
        <translation>Une date de péremption à plus de {years} ans est sûrement une erreur de saisie ; vérifiez-la.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>A GTIN is 8, 12, 13 or 14 digits; {gtin} is not one.</source>
        <translation>Un GTIN comporte 8, 12, 13 ou 14 chiffres ; {gtin} n’en est pas un.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Type the lot number printed on the box: every pack received needs one.</source>
        <translation>Saisissez le numéro de lot imprimé sur la boîte : chaque boîte réceptionnée en a besoin.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A lot number has at most {max} letters, digits and signs, without accents or spaces; check it.</source>
        <translation>Un numéro de lot comporte au plus {max} lettres, chiffres et signes, sans accents ni espaces ; vérifiez-le.</translation>
    </message>
    <message>
        <source>A lot number has at most {max} letters and digits; check it.</source>
        <translation type="vanished">Un numéro de lot comporte au plus {max} lettres et chiffres ; vérifiez-le.</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Lot {lot} does not hold that much stock.</source>
        <translation>Le lot {lot} ne contient pas autant de stock.</translation>
    </message>
    <message>
        <location line="+273"/>
        <source>The only {drug} left (lot {lot}, {balance} {unit}) expired on {expiry}: it must not be dispensed. Write the lot off and order more. Nothing was dispensed.</source>
        <translation>Le seul {drug} restant (lot {lot}, {balance} {unit}) est périmé depuis le {expiry} : il ne doit pas être dispensé. Sortez ce lot du stock et commandez-en. Rien n’a été dispensé.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>All the {drug} left ({balance} {unit}, lots {lots}) is in expired lots: it must not be dispensed. Write the lots off and order more. Nothing was dispensed.</source>
        <translation>Tout le stock restant de {drug} ({balance} {unit}, lots {lots}) est périmé : il ne doit pas être dispensé. Sortez ces lots du stock et commandez-en. Rien n’a été dispensé.</translation>
    </message>
    <message>
        <location line="+13"/>
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
        <source>The number of demo patients must be zero or more.</source>
        <translation type="vanished">Le nombre de patients de démonstration doit être zéro ou plus.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/demo.py" line="+449"/>
        <source>The number of demo patients must be from 0 to {max}.</source>
        <translation>Le nombre de patients de démonstration doit être compris entre 0 et {max}.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/records/diagnoses.py" line="-7"/>
        <source>{code} is already a diagnosis of this consultation.</source>
        <translation>{code} est déjà un diagnostic de cette consultation.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/security/cli.py" line="-91"/>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe diffèrent.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/security/emergency.py" line="+39"/>
        <source>This emergency access was already reviewed; nothing was changed.</source>
        <translation>Cet accès d’urgence a déjà été contrôlé ; rien n’a été modifié.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The text is too long (at most {n} characters).</source>
        <translation>Le texte est trop long ({n} caractères au plus).</translation>
    </message>
    <message>
        <location line="+20"/>
        <location filename="../../clinic_app/security/emergency_lookup.py" line="+29"/>
        <source>Type why you must open this chart in an emergency (at least {n} characters). The clinic admin reviews every emergency access.</source>
        <translation>Indiquez pourquoi vous devez ouvrir ce dossier en urgence (au moins {n} caractères). L’administrateur du centre contrôle chaque accès d’urgence.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type the real reason in words: the clinic admin will read it.</source>
        <translation>Écrivez la vraie raison en mots : l’administrateur du centre la lira.</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Write a short review note (at least {n} characters).</source>
        <translation>Écrivez une courte note de contrôle (au moins {n} caractères).</translation>
    </message>
    <message>
        <location filename="../../clinic_app/security/emergency_lookup.py" line="+11"/>
        <source>Type the patient&apos;s name or national number.</source>
        <translation>Saisissez le nom ou le numéro national du patient.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/security/recovery.py" line="+94"/>
        <source>This recovery key does not open this clinic. Check that the sheet belongs to this clinic and is the latest one (a re-key makes a new one).</source>
        <translation>Cette clé de secours n’ouvre pas ce centre. Vérifiez que la feuille est bien celle de ce centre et la plus récente (un changement de clé en crée une nouvelle).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The recovery key was mistyped: it has 8 groups of 5 letters and digits, and they do not match each other. Compare each group with the printed sheet and type it again.</source>
        <translation>La clé de secours est mal saisie : elle a 8 groupes de 5 lettres et chiffres, et ils ne concordent pas entre eux. Comparez chaque groupe avec la feuille imprimée et saisissez-la à nouveau.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/security/settings.py" line="+35"/>
        <source>The screen locks after {low} to {high} minutes without use.</source>
        <translation>L’écran se verrouille après {low} à {high} minutes sans activité.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/storage/backup.py" line="+89"/>
        <source>The backup could not be made.</source>
        <translation>La sauvegarde n’a pas pu être faite.</translation>
    </message>
    <message>
        <location line="+4"/>
        <location filename="../../clinic_app/sync/handcarry.py" line="+66"/>
        <source>The folder {path} cannot be written. Check that the USB stick is plugged in, not full and not read-only, then try again.</source>
        <translation>Impossible d’écrire dans le dossier {path}. Vérifiez que la clé USB est branchée, qu’elle n’est pas pleine ni protégée en écriture, puis réessayez.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A backup in the clinic&apos;s own folder {path} would be lost with the computer. Choose a USB stick or another disk.</source>
        <translation>Une sauvegarde dans le dossier même de la clinique {path} serait perdue avec l&apos;ordinateur. Choisissez une clé USB ou un autre disque.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The backup written to {path} did not read back correctly and was deleted. Try again, or use another USB stick.</source>
        <translation>La sauvegarde écrite dans {path} ne s’est pas relue correctement et a été supprimée. Réessayez, ou utilisez une autre clé USB.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The file {path} is not a clinic backup, or it is damaged or incomplete; nothing was restored. Try another copy of the backup.</source>
        <translation>Le fichier {path} n’est pas une sauvegarde de centre, ou il est endommagé ou incomplet ; rien n’a été restauré. Essayez une autre copie de la sauvegarde.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The clinic could not be restored into {path}: the folder cannot be written or the disk is full. Nothing was restored; free some space or choose another folder.</source>
        <translation>La clinique n&apos;a pas pu être restaurée dans {path} : le dossier n&apos;est pas accessible en écriture ou le disque est plein. Rien n&apos;a été restauré ; libérez de la place ou choisissez un autre dossier.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>There is no backup file at {path}. Check the USB stick and the file name.</source>
        <translation>Il n’y a pas de fichier de sauvegarde à l’emplacement {path}. Vérifiez la clé USB et le nom du fichier.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/sync/edits.py" line="+53"/>
        <source>This conflict was already settled; the patient&apos;s record shows the choice.</source>
        <translation>Ce conflit a déjà été réglé ; le dossier du patient montre le choix retenu.</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>This field cannot be changed here.</source>
        <translation>Ce champ ne peut pas être modifié ici.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+97"/>
        <source>This patient does not exist.</source>
        <translation>Ce patient n’existe pas.</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>Only a consultation can be voided.</source>
        <translation>Seule une consultation peut être annulée.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Say why this record is voided (at most 500 characters).</source>
        <translation>Indiquez pourquoi cet enregistrement est annulé (500 caractères au plus).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This consultation does not exist.</source>
        <translation>Cette consultation n’existe pas.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>This conflict does not exist.</source>
        <translation>Ce conflit n’existe pas.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This conflict is settled at central.</source>
        <translation>Ce conflit se règle au niveau central.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/sync/handcarry.py" line="-4"/>
        <source>The hand-carried sync file could not be used.</source>
        <translation>Le fichier de synchronisation transporté n’a pas pu être utilisé.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>There is no file at {path}. Check the USB stick and the file name.</source>
        <translation>Il n’y a pas de fichier à {path}. Vérifiez la clé USB et le nom du fichier.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The file {path} is not an answer from central, or it was damaged or changed on the way; nothing was imported. Ask central for a new answer file.</source>
        <translation>Le fichier {path} n’est pas une réponse du serveur central, ou il a été abîmé ou modifié en route ; rien n’a été importé. Demandez au central un nouveau fichier de réponse.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The file {path} was made for another clinic ({site_code}), or for an earlier enrolment of this one; nothing was imported.</source>
        <translation>Le fichier {path} a été fait pour un autre centre ({site_code}), ou pour un enrôlement précédent de celui-ci ; rien n’a été importé.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The file {path} is this clinic&apos;s own export, to be imported at central; bring back the answer file (.clinicanswer) that central wrote next to it.</source>
        <translation>Le fichier {path} est l’export de ce centre, à importer au central ; rapportez le fichier de réponse (.clinicanswer) que le central a écrit à côté.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No change is waiting for central; there is nothing to export.</source>
        <translation>Aucune modification n’attend le central ; il n’y a rien à exporter.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/documents/verification.py" line="+32"/>
        <source>This clinic does not know the key of clinic {site} that printed the document. Sync with central (it sends every clinic&apos;s key), then check again.</source>
        <translation>Ce centre ne connaît pas la clé du centre {site} qui a imprimé le document. Synchronisez avec le central (il envoie la clé de chaque centre), puis vérifiez de nouveau.</translation>
    </message>
    <message>
        <location filename="../../clinic_app/prompts.py" line="+25"/>
        <source>This command must ask for a password or a name, and there is no terminal to ask it at: set {env} (or give it as an option).</source>
        <translation>Cette commande doit demander un mot de passe ou un nom, et aucun terminal ne permet de le demander : définissez {env} (ou donnez-le en option).</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <location filename="../../clinic_app/ui/roles.py" line="-79"/>
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
        <location filename="../../clinic_app/inventory/scanning.py" line="-338"/>
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
        <location line="+172"/>
        <source>The code has no lot number: type it from the box.</source>
        <translation>Le code ne contient pas de numéro de lot : saisissez-le depuis la boîte.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The lot {lot} may run into other fields (a serial number, a quantity) because a separator was lost. Check the lot printed on the box.</source>
        <translation>Le lot {lot} déborde peut-être sur d’autres champs (numéro de série, quantité), car un séparateur a été perdu. Vérifiez le lot imprimé sur la boîte.</translation>
    </message>
    <message>
        <location line="+113"/>
        <source>A separator was missing in the code; it was read as lot {value} followed by {rest}. Check them against the box.</source>
        <translation>Un séparateur manquait dans le code ; il a été lu comme lot {value} suivi de {rest}. Vérifiez-les sur la boîte.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A separator was missing in the code; it was read as serial number {value} followed by {rest}. Check them against the box.</source>
        <translation>Un séparateur manquait dans le code ; il a été lu comme numéro de série {value} suivi de {rest}. Vérifiez-les sur la boîte.</translation>
    </message>
    <message>
        <source>The lot {lot} may run into a serial number because a separator was lost. Check the lot printed on the box.</source>
        <translation type="vanished">Le lot {lot} déborde peut-être sur un numéro de série, car un séparateur a été perdu. Vérifiez le lot imprimé sur la boîte.</translation>
    </message>
    <message>
        <location line="-105"/>
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
        <source>A separator was missing in the code; it was read as {field} {value} and expiry {expiry}. Check both against the box.</source>
        <translation type="vanished">Un séparateur manquait dans le code ; il a été lu comme {field} {value} et péremption {expiry}. Vérifiez les deux sur la boîte.</translation>
    </message>
    <message>
        <location line="+101"/>
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
        <location filename="../../clinic_app/sync/status.py" line="-50"/>
        <source>This computer&apos;s clock is {minutes} minute(s) ahead of central&apos;s. Ask the admin to set the date and time.</source>
        <translation>L’horloge de cet ordinateur avance de {minutes} minute(s) sur celle du central. Demandez à l’administrateur de régler la date et l’heure.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This computer&apos;s clock is {minutes} minute(s) behind central&apos;s. Ask the admin to set the date and time.</source>
        <translation>L’horloge de cet ordinateur retarde de {minutes} minute(s) sur celle du central. Demandez à l’administrateur de régler la date et l’heure.</translation>
    </message>
    <message>
        <location line="+12"/>
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
        <location line="+2"/>
        <source>Not synced with central yet</source>
        <translation>Pas encore synchronisé avec le central</translation>
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
        <location filename="../../clinic_app/records/consultations.py" line="-248"/>
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
