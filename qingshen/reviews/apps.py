from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "qingshen.reviews"
    label = "reviews"
    verbose_name = "评估验收审核"
