"""What a person says they are, when they co-sign a demand or answer a survey: the one list the
coalition's evidence is broken down by."""

from django.db import models


class Role(models.TextChoices):
    WORKER = "worker", "A worker in the service"
    SERVICE_USER = "service-user", "A person who uses services"
    CARER = "carer", "A carer or family member"
    OTHER = "other", "Other"
