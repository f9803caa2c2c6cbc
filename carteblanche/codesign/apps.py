from django.apps import AppConfig


class CodesignConfig(AppConfig):
    name = "carteblanche.codesign"
    verbose_name = "Co-construction"
