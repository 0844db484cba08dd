"""Admin for reference data only: community settings and the honorary directors' registry. Topics, ballots,
minutes and resolutions change only through the services."""

from django.contrib import admin

from civicgrid.consultation.models import CommunitySettings, HonoraryDirector
from civicgrid.core.admin import AuditedAdmin


@admin.register(CommunitySettings)
class CommunitySettingsAdmin(AuditedAdmin):
    list_display = ("region_code", "moderation", "support_threshold", "answer_days")


@admin.register(HonoraryDirector)
class HonoraryDirectorAdmin(AuditedAdmin):
    list_display = ("name", "affiliation", "region_code", "term_start", "term_end")
    search_fields = ("name", "affiliation", "region_code")
