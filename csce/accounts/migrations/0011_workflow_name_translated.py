"""The approval workflow and its task take their stable identifier, shown in each reader's
language (csce/accounts/workflow_names.py), in place of Wagtail's sample name.

The names are written out: a migration replays the past and may not follow today's code."""

from django.db import migrations

FORMER_NAME = "Moderators approval"
NAME = "Assistant Executive Director approval"


def rename(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")
    for model in (Workflow, Task):
        if not model.objects.filter(name=NAME).exists():
            model.objects.filter(name=FORMER_NAME).update(name=NAME)
    workflow = Workflow.objects.filter(name=NAME).first()
    former = Workflow.objects.filter(name=FORMER_NAME)
    if workflow is not None and former.exists():
        WorkflowPage.objects.filter(workflow__in=former).update(workflow=workflow)
        former.update(active=False)
        Task.objects.filter(name=FORMER_NAME).update(active=False)


def rename_back(apps, schema_editor):
    for model_name in ("Workflow", "Task"):
        model = apps.get_model("wagtailcore", model_name)
        model.objects.filter(name=NAME).update(name=FORMER_NAME)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_staff_invitation")]

    operations = [migrations.RunPython(rename, rename_back)]
