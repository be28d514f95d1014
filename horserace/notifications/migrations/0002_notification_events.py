"""Notifications become named events: a kind, JSON params and a key.

The subject and body columns stay (as ``stored_subject`` and ``stored_body``,
same columns) for the rows written before: a row without a kind shows what
it stored. The key is blank on those rows, so the unique constraint on
(recipient, key) leaves them alone.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="subject",
            field=models.CharField(
                blank=True, db_column="subject", max_length=255, verbose_name="subject"
            ),
        ),
        migrations.RenameField(
            model_name="notification", old_name="subject", new_name="stored_subject"
        ),
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=models.TextField(blank=True, db_column="body", verbose_name="body"),
        ),
        migrations.RenameField(
            model_name="notification", old_name="body", new_name="stored_body"
        ),
        migrations.AddField(
            model_name="notification",
            name="kind",
            field=models.CharField(blank=True, max_length=100, verbose_name="kind"),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.AddField(
            model_name="notification",
            name="key",
            field=models.CharField(
                blank=True, default="", max_length=255, verbose_name="key"
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("key", ""), _negated=True),
                fields=("recipient", "key"),
                name="notification_one_per_recipient_and_key",
            ),
        ),
    ]
