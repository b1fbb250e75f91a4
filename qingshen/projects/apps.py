from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "qingshen.projects"
    label = "projects"
    verbose_name = "清洁生产审核项目"
