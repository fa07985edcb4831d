"""factory_boy factories for every model; defaults make a valid, unclassified record."""

import datetime

import factory
from django.contrib.auth.models import Group

from meetings import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    clearance = 0
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organization

    name = factory.Sequence(lambda n: f"Ministry of Defence {n}")
    kind = models.Organization.Kind.MINISTRY
    country = "GB"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Official {n}")
    country = "GB"
    title = "Minister"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Topic

    name = factory.Sequence(lambda n: f"Topic {n}")


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MeetingSeries

    name = factory.Sequence(lambda n: f"Annual defence dialogue {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    title = factory.Sequence(lambda n: f"Defence talks {n}")
    kind = models.Meeting.Kind.BILATERAL
    status = models.Meeting.Status.HELD
    start_date = datetime.date(2024, 2, 26)
    city = "Nairobi"
    country = "KE"
    host_country = "KE"
    classification = 0


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    title = factory.LazyAttribute(lambda a: a.person.title)
    delegation = factory.LazyAttribute(lambda a: a.person.country)


class MeetingTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MeetingTopic

    meeting = factory.SubFactory(MeetingFactory)
    topic = factory.SubFactory(TopicFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Action

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Enhance cooperation in area {n}")
    status = models.Action.Status.AGREED


class ActionPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActionParty

    action = factory.SubFactory(ActionFactory)
    country = "GB"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    meeting = factory.SubFactory(MeetingFactory)
    kind = models.Source.Kind.JOINT_STATEMENT
    title = "Joint statement"
    url = "https://example.org/statement"
