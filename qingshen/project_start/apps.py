from django.apps import AppConfig


class ProjectStartConfig(AppConfig):
    name = "qingshen.project_start"
    label = "project_start"
    verbose_name = "项目启动"
