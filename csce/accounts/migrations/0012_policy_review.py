"""Policy V, R: each policy version carries its next review and the AED's approval; the
reminders of reviews sent to the AED, once each.

The versions that exist were in force before approval existed: they count as approved
(by nobody recorded, at their creation), and their next review is a year after they took
effect.
"""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def forwards(apps, schema_editor):
    PolicyVersion = apps.get_model("accounts", "PolicyVersion")
    for version in PolicyVersion.objects.all():
        PolicyVersion.objects.filter(pk=version.pk).update(
            next_review=_one_year_after(version.effective_date),
            approved_at=version.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_workflow_name_translated"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="policyversion",
            options={
                "ordering": ["-effective_date", "-pk"],
                "permissions": [("approve_policyversion", "Can approve a policy version")],
                "verbose_name": "policy version",
                "verbose_name_plural": "policy versions",
            },
        ),
        migrations.AddField(
            model_name="policyversion",
            name="approved_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="approved at"
            ),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="approved by",
            ),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="drafted_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="drafted by",
            ),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="next_review",
            field=models.DateField(null=True, verbose_name="next review"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="policyversion",
            name="next_review",
            field=models.DateField(
                help_text=(
                    "When the policy is reviewed again (policy V). The Assistant Executive "
                    "Director is reminded by e-mail beforehand."
                ),
                verbose_name="next review",
            ),
        ),
        migrations.AlterField(
            model_name="policyversion",
            name="effective_date",
            field=models.DateField(
                help_text=(
                    "From this day, once the version is approved, every staff member must "
                    "acknowledge it."
                ),
                verbose_name="effective date",
            ),
        ),
        migrations.CreateModel(
            name="ReviewReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subject", models.CharField(max_length=40, verbose_name="subject")),
                ("review_date", models.DateField(verbose_name="review date")),
                (
                    "stage",
                    models.CharField(
                        choices=[("soon", "Review due soon"), ("overdue", "Review overdue")],
                        max_length=10,
                        verbose_name="stage",
                    ),
                ),
                (
                    "sent_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="sent at"
                    ),
                ),
            ],
            options={
                "verbose_name": "review reminder",
                "verbose_name_plural": "review reminders",
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("subject", "review_date", "stage"), name="review_reminder_once"
                    )
                ],
            },
        ),
    ]
