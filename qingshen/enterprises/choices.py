from django.db import models

#: 企业性质, in the order of the seed's 基本信息 screen.
NATURE_CHOICES = [(n, n) for n in (
    "国有与集体联营", "其他联营", "国有独资公司", "股份有限公司", "私营独资", "私营合伙",
    "与港澳台合资经营", "与港澳台合作经营", "港、澳、台商独资", "其他港、澳、台商投资",
    "中外合资经营", "中外合作经营", "其他外商投资", "国有", "集体", "私营有限责任公司", "其他",
    "港、澳、台商投资股份有限公司", "外资企业", "外商投资股份有限公司", "股份合作", "国有联营",
    "集体联营", "其他有限责任公司", "私营股份有限公司",
)]


class Status(models.TextChoices):
    RUNNING = "running", "运行"
    SUSPENDED = "suspended", "停产"
    CLOSED = "closed", "关闭"


class PermitCategory(models.TextChoices):
    KEY = "key", "重点管理"
    SIMPLIFIED = "simplified", "简化管理"
    REGISTRATION = "registration", "登记管理"
