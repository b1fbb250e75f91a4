"""Forms of the roster pages. Each carries `expected_status`, the task status the page showed,
so a step taken from a stale page is refused with a message instead of acting on a task that
has moved on. Messages are the services' own; the forms only check what was typed."""

from django import forms

from qingshen.campaigns.models import HandlingLevel, Reason
from qingshen.core.forms import StyledFormMixin
from qingshen.enterprises.choices import Status as EnterpriseStatus
from qingshen.enterprises.models import Enterprise
from qingshen.regions.models import Region
from qingshen.rosters.services import CORRECTABLE, NOT_ATTESTED

YES_NO = [("true", "是"), ("false", "否")]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class TaskForm(StyledFormMixin, forms.Form):
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        for field in self.fields.values():
            if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                field.widget.attrs["class"] = "form-check-input"
        if task is not None and not self.is_bound:
            self.initial["expected_status"] = task.status


class RequirementsForm(TaskForm):
    requirements = forms.CharField(label="本级任务要求", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                   help_text="补充本级对下级的要求，如更早的完成时间、材料要求等")
    attachments = MultipleFileField(label="上传通知文件", required=False,
                                    help_text="PDF、JPG 或 PNG，可一次选择多个文件")
    remove_attachments = forms.ModelMultipleChoiceField(label="删除已上传的文件", required=False, queryset=None,
                                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        self.fields["remove_attachments"].queryset = task.attachments.all()
        self.fields["remove_attachments"].label_from_instance = lambda f: f.original_name
        if not self.is_bound:
            self.initial["requirements"] = task.requirements


class AttestationForm(TaskForm):
    attested = forms.BooleanField(label="我同意上述内容", required=True, error_messages={"required": NOT_ATTESTED})


class ExcludeForm(TaskForm):
    reason = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写详细情况说明。"},
                             help_text="说明该企业不符合本次强制性清洁生产审核要求的详细情况")
    evidence = MultipleFileField(label="佐证材料", required=True, error_messages={"required": "请上传佐证材料。"},
                                 help_text="PDF、JPG 或 PNG，可选择多个文件")


class CorrectForm(TaskForm):
    """The facts a level may correct, pre-filled with the registry's values; only the changed
    ones are corrected (each kept with its old and new value)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    double_exceed = forms.TypedChoiceField(label=CORRECTABLE["double_exceed"], choices=YES_NO,
                                           coerce=lambda v: v == "true", widget=forms.RadioSelect)
    double_toxic = forms.TypedChoiceField(label=CORRECTABLE["double_toxic"], choices=YES_NO,
                                          coerce=lambda v: v == "true", widget=forms.RadioSelect)
    name = forms.CharField(label=CORRECTABLE["name"], max_length=200)
    uscc = forms.CharField(label=CORRECTABLE["uscc"], max_length=18, required=False)
    address = forms.CharField(label=CORRECTABLE["address"], max_length=300, required=False)
    legal_representative = forms.CharField(label=CORRECTABLE["legal_representative"], max_length=50, required=False)
    status = forms.ChoiceField(label=CORRECTABLE["status"], choices=EnterpriseStatus.choices)
    permit_number = forms.CharField(label=CORRECTABLE["permit_number"], max_length=40, required=False)

    def __init__(self, *args, task, enterprise, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        self.enterprise = enterprise
        self.fields["uscc"].widget.attrs.update({"maxlength": 18, "style": "text-transform: uppercase"})
        if not self.is_bound:
            self.initial["version"] = enterprise.version
            for name in CORRECTABLE:
                value = getattr(enterprise, name)
                self.initial[name] = ("true" if value else "false") if name in ("double_exceed", "double_toxic") \
                    else (value or "")

    def clean_uscc(self):
        return (self.cleaned_data.get("uscc") or "").replace(" ", "").strip().upper() or None

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def changes(self) -> dict:
        """The facts the user changed: {field: new value}."""
        changed = {}
        for name in CORRECTABLE:
            if name not in self.cleaned_data:
                continue
            new, old = self.cleaned_data[name], getattr(self.enterprise, name)
            if isinstance(new, bool):
                if new != old:
                    changed[name] = new
            elif (old or "") != (new or ""):
                changed[name] = new if name == "uscc" else (new or "")
        return changed

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.changes():
            raise forms.ValidationError("没有修改任何信息。")
        return cleaned


class ProposeForm(TaskForm):
    """增补: an enterprise from the registry (searched by name or code), or one registered here
    with its USCC."""

    SOURCES = [("registry", "从企业名录中选择"), ("new", "登记新企业（须填写统一社会信用代码）")]

    source = forms.ChoiceField(label="增补方式", choices=SOURCES, widget=forms.RadioSelect, initial="registry")
    q = forms.CharField(widget=forms.HiddenInput, required=False)
    enterprise = forms.ModelChoiceField(label="企业", queryset=Enterprise.objects.none(), required=False,
                                        widget=forms.RadioSelect, empty_label=None)
    reasons = forms.MultipleChoiceField(label="纳入原因", choices=Reason.choices, widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": "请至少选择一项纳入原因。"})
    handling_level = forms.ChoiceField(label="办理机构", choices=HandlingLevel.choices, widget=forms.RadioSelect,
                                       initial=HandlingLevel.CITY)
    reason = forms.CharField(label="增补说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # a new enterprise
    name = forms.CharField(label="企业名称", max_length=200, required=False)
    uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    region = forms.ModelChoiceField(label="所属区县", queryset=Region.objects.none(), required=False)
    address = forms.CharField(label="地址", max_length=300, required=False)
    legal_representative = forms.CharField(label="法定代表人", max_length=50, required=False)
    double_exceed = forms.BooleanField(label="是否双超", required=False)
    double_toxic = forms.BooleanField(label="是否双有", required=False)
    water_related = forms.BooleanField(label="是否涉水企业", required=False, initial=True)

    NEW_FIELDS = ("name", "uscc", "region", "address", "legal_representative", "double_exceed", "double_toxic",
                  "water_related")

    def __init__(self, *args, task, user, candidates, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        self.fields["enterprise"].queryset = candidates
        self.fields["enterprise"].label_from_instance = (
            lambda e: f"{e.name}（{e.uscc or '无信用代码'}，{e.region.name}）")
        self.fields["region"].queryset = Region.objects.enterprise_locations(user)
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.name}"
        self.fields["uscc"].widget.attrs.update({"maxlength": 18, "style": "text-transform: uppercase"})

    def clean_uscc(self):
        return (self.cleaned_data.get("uscc") or "").replace(" ", "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == "registry":
            if not cleaned.get("enterprise") and "enterprise" not in self.errors:
                self.add_error("enterprise", "请先查询并选择要增补的企业。")
        elif cleaned.get("source") == "new":
            for name, message in (("name", "请填写企业名称。"), ("uscc", "在此登记新企业须填写统一社会信用代码。"),
                                  ("region", "请选择所属区县。")):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def new_enterprise(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.NEW_FIELDS}


class SubmitForm(TaskForm):
    stamped_list = forms.FileField(label="最终名单（盖章扫描件）", required=True,
                                   error_messages={"required": "请上传本级最终名单（盖章扫描件）。"},
                                   help_text="打印上方系统生成的最终名单，加盖部门公章后扫描上传；PDF、JPG 或 PNG")


class ReviewForm(TaskForm):
    DECISIONS = [("approve", "通过"), ("return", "退回")]

    decision = forms.ChoiceField(label="审核结果", choices=DECISIONS, widget=forms.RadioSelect,
                                 error_messages={"required": "请选择通过或退回。"})
    comments = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="退回时必须填写，下级将看到该意见")

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        if task is not None and task.status == task.Status.APPROVED and not self.is_bound:
            # an approved list can still be sent back (until this level submits its own); a
            # posted 通过 is left to the service, which says why it cannot be taken
            self.fields["decision"].choices = [("return", "退回")]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", "退回时请填写审核意见。")
        return cleaned
