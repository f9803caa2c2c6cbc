from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core.french import plural

from . import second_factor
from .forms import UserAdminChangeForm, UserAdminCreationForm
from .models import Membership, User


def _hide_second_factor_keys():
    """django-otp's own pages show the secret keys to any staff: the accounts' page resets instead."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_hide_second_factor_keys()


def journal_membership(request, membership, what: str) -> None:
    JournalEntry.log(
        action=Action.MEMBERSHIP_CHANGED,
        actor=request.user,
        target=membership.user,
        territory=membership.territory,
        reason=f"{what} depuis l'administration",
        details={"role": membership.role, "organisation": membership.organisation_id, "actif": membership.is_active},
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["territory", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_second_factor"]

    @admin.action(description="Réinitialiser la double authentification (téléphone perdu)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor.second_factor_reset(user=user, actor=request.user)
        count = queryset.count()
        self.message_user(
            request,
            f"Double authentification réinitialisée pour {plural(count, 'compte')} : "
            f"{plural(count, 'la réactivera', 'la réactiveront', show_count=False)} à la prochaine connexion.",
        )

    def save_formset(self, request, form, formset, change):
        deleted = list(formset.deleted_objects) if hasattr(formset, "deleted_objects") else []
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            for membership in formset.new_objects:
                journal_membership(request, membership, "Rôle attribué")
            for membership, _fields in formset.changed_objects:
                journal_membership(request, membership, "Rôle modifié")
            for membership in deleted:
                journal_membership(request, membership, "Rôle retiré")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "territory", "role", "organisation", "is_active"]
    list_filter = ["role", "territory", "is_active"]
    search_fields = ["user__email", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "territory", "organisation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        journal_membership(request, obj, "Rôle modifié" if change else "Rôle attribué")

    def delete_model(self, request, obj):
        journal_membership(request, obj, "Rôle retiré")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            journal_membership(request, membership, "Rôle retiré")
        super().delete_queryset(request, queryset)
