"""名单核定任务: the list, and each task as the seed's step pages.

    省级任务信息 → 市级任务信息 → 企业清单 → 下发任务 → 区县任务情况 → 提交任务   (a city)
    市级任务信息 → 企业清单 → 提交任务                                           (a county)
    省级任务信息 → 企业清单 → 下发任务 → 市级任务情况                             (the province)

Every page finds its task through `RosterTask.objects.restrict(user)` (another department's
task does not exist for the user: 404). Reading needs rosters.view_rostertask; a department's
own steps rosters.verify_roster; approving or returning a lower level rosters.review_roster —
and the services check the rest (whose task it is, and whether its status allows the step).

Every action is a plain form post that redirects on success and shows the page again with
the typed values and the service's Chinese message on error. The 企业清单's per-row actions
also work through htmx: each enterprise is one <tbody>, which the action replaces.
"""
