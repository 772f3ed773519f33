"""The response times' permission (``analytics.view_engagement``, policy R), given to the
AED and the Executive Director by csce/analytics/roles.py."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0002_statistics_role_permission'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='dailycount',
            options={'permissions': [('view_statistics', 'Can see the website statistics'), ('view_engagement', 'Can see the response times')], 'verbose_name': 'daily count', 'verbose_name_plural': 'daily counts'},
        ),
    ]
