from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from core.models import User


@admin.register(User)
class SanteLocUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("SantéLoc", {"fields": ("role", "region", "departement", "organisation")}))
    list_display = ("username", "first_name", "last_name", "role", "departement", "organisation", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
