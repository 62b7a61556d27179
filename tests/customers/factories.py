from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from apps.accounts.models import User
from apps.customers.models import Customer, Stakeholder

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    role = User.Role.CSM
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    class Params:
        admin = factory.Trait(is_superuser=True, role=User.Role.ADMIN)
        client = factory.Trait(is_staff=False, role=User.Role.CLIENT)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class CustomerFactory(DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Company {n}")
    segment = Customer.Segment.SMB
    industry = "Software"
    owner = factory.SubFactory(UserFactory)
    status = Customer.Status.ACTIVE


class StakeholderFactory(DjangoModelFactory[Stakeholder]):
    class Meta:
        model = Stakeholder

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"stakeholder{n}@customer.example")
    role = Stakeholder.Role.OTHER
    is_approver = False
    channels = factory.LazyFunction(lambda: [Stakeholder.Channel.EMAIL, Stakeholder.Channel.IN_APP])

    class Params:
        executive = factory.Trait(role=Stakeholder.Role.EXECUTIVE, is_approver=True)
        with_login = factory.Trait(
            user=factory.SubFactory(
                UserFactory,
                client=True,
                email=factory.SelfAttribute("..email"),
                full_name=factory.SelfAttribute("..name"),
            )
        )
