"""SCIM provisioning: an opaque id per person, the client's external id, and
service accounts allowed to provision. Existing people get their id here."""

import uuid

from django.db import migrations, models

import horserace.accounts.models


def give_scim_ids(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for pk in User.objects.filter(scim_id__isnull=True).values_list("pk", flat=True):
        User.objects.filter(pk=pk).update(scim_id=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_directory_import")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="scim_id",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="SCIM id"
            ),
        ),
        migrations.RunPython(give_scim_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="scim_id",
            field=models.CharField(
                default=horserace.accounts.models.scim_id_new,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="SCIM id",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="scim_external_id",
            field=models.CharField(
                blank=True,
                db_index=True,
                max_length=254,
                null=True,
                verbose_name="SCIM external id",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="is_provisioner",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "A service account of the identity provider that may push "
                    "people over SCIM."
                ),
                verbose_name="provisioning account",
            ),
        ),
    ]
