from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_privacy_rights_page"),
    ]

    operations = [
        migrations.AddField(
            model_name="privacynoticeversion",
            name="section_hashes",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
