"""DOMAIN.md section 3's two default education items and the plan settings (3 days), as admins then edit them."""

from django.db import migrations

DELIVERY = """\
This session walks you through the 30 days in which our team turns your requirements into working, tested \
software, and what we need from you along the way. Our developer agents work like a traditional development team, \
with a named customer success manager and human experts overseeing every step.

- Day 1, requirements analysis: we go through your requirements with you, clarify open questions and agree what \
"done" means for each one.
- Day 2, architecture design: our architects propose the system design and review it with your technical lead \
before any code is written.
- Days 3 to 21, development: features are built in short cycles with a build every day, so you can follow \
progress and try features as they land.
- Days 22 to 28, quality assurance: automated tests, quality gates, performance checks and your user acceptance \
testing.
- Days 29 and 30, delivery and handoff: production deployment, documentation and knowledge transfer to your team.

What to expect from us: progress updates on the channels you chose (email, Slack, Microsoft Teams or the client \
view), working demos as features are completed, test coverage and code quality measured against published \
quality gates, and full ownership of the source code and documentation.

What we ask of you: a stakeholder who can answer questions within a day, time from your approvers for the weekly \
sign-off, and early word when priorities change.
"""

GUARANTEE = """\
Your project is backed by a 30-day success guarantee: if the agreed success criteria are not met, you choose a \
remedy. This note explains how success is measured and what happens at each step.

The criteria are agreed in your proposal and depend on the kind of work:

- MVP development: the weekly milestones, automated test coverage and your satisfaction score.
- Legacy modernization: performance improvement over the legacy system, reduction of security vulnerabilities \
and your satisfaction score.
- Team augmentation: the improvement in your team's delivery velocity, the weekly milestones and your \
satisfaction score.

Weekly checkpoints: four milestones fall due on days 7, 14, 21 and 28. For each one we publish the evidence (test \
results, reviews, demos), our team validates it, and your approvers sign it off or say what is missing. If a \
milestone is at risk, you and your customer success manager see it straight away, with the recovery actions we \
are taking.

Final validation on day 30 combines the criteria into one score. If it reaches the threshold in your proposal, \
the guarantee has succeeded and we review the next steps together.

If it does not, you choose one of three remedies:

- a full refund of the guarantee amount stated in your proposal;
- continued development at no cost, with the guarantee extended by two weeks and new milestones;
- assistance migrating the work to another team or solution.
"""

ITEMS = [
    {
        "slug": "how-our-delivery-works",
        "title": "How our delivery works",
        "summary": "The 30 days from requirements to handoff, and what to expect from us and from your team.",
        "body": DELIVERY,
        "minutes": 15,
        "audience": "all",
        "method": "video_call",
        "day": 1,
        "interactive_elements": ["Demo video", "Architecture walkthrough"],
        "position": 1,
    },
    {
        "slug": "the-30-day-success-guarantee",
        "title": "The 30-day success guarantee",
        "summary": "How success is measured, the weekly checkpoints, and the remedies if criteria are not met.",
        "body": GUARANTEE,
        "minutes": 10,
        "audience": "all",
        "method": "email",
        "day": 2,
        "interactive_elements": ["Success criteria calculator", "Milestone tracker"],
        "position": 2,
    },
]


def seed(apps, schema_editor):
    ContentItem = apps.get_model("education", "ContentItem")
    EducationSettings = apps.get_model("education", "EducationSettings")
    EducationSettings.objects.update_or_create(pk=1, defaults={"plan_days": 3, "call_hour": 15, "call_notice_hours": 2})
    for item in ITEMS:
        ContentItem.objects.update_or_create(slug=item["slug"], defaults={k: v for k, v in item.items() if k != "slug"})


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
