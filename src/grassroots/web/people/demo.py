"""Demo people: fictional supporters across most CLPs, and one account per role.

Everyone here is invented; addresses are under example.org, which cannot receive mail.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from grassroots.web.audit.services import audit_record
from grassroots.web.constituencies.models import Constituency
from grassroots.web.people.consents import WORDING
from grassroots.web.people.models import Consent, ConsentKind, Membership, Supporter, User
from grassroots.web.people.roles import Role

SUPPORTERS = 1700
CLPS = 460
SEED = 2024
EMAIL_DOMAIN = "demo.example.org"

FIRST_NAMES = [
    "Aisha",
    "Alex",
    "Amir",
    "Ana",
    "Angela",
    "Arjun",
    "Bethan",
    "Bilal",
    "Brian",
    "Callum",
    "Carys",
    "Chloe",
    "Chris",
    "Dafydd",
    "Deborah",
    "Declan",
    "Dev",
    "Eilidh",
    "Elaine",
    "Emeka",
    "Emma",
    "Eve",
    "Fatima",
    "Fiona",
    "Gareth",
    "Grace",
    "Hamish",
    "Hannah",
    "Hassan",
    "Ian",
    "Imran",
    "Isla",
    "Jack",
    "Jade",
    "Jamal",
    "Janet",
    "Jo",
    "Kamala",
    "Kate",
    "Kwame",
    "Laura",
    "Leon",
    "Lily",
    "Malcolm",
    "Maya",
    "Mei",
    "Mohammed",
    "Morag",
    "Nadia",
    "Neil",
    "Nia",
    "Niamh",
    "Oliver",
    "Owen",
    "Pat",
    "Priya",
    "Rachel",
    "Raj",
    "Rhys",
    "Rosa",
    "Ruth",
    "Sam",
    "Sandra",
    "Sean",
    "Shabana",
    "Siobhan",
    "Sophie",
    "Steve",
    "Sunita",
    "Tom",
    "Tomasz",
    "Una",
    "Vikram",
    "Wendy",
    "Yusuf",
    "Zara",
]
SURNAMES = [
    "Adeyemi",
    "Ahmed",
    "Ali",
    "Anderson",
    "Bailey",
    "Begum",
    "Bell",
    "Brown",
    "Campbell",
    "Chen",
    "Clarke",
    "Davies",
    "Edwards",
    "Evans",
    "Fraser",
    "Green",
    "Griffiths",
    "Hall",
    "Harris",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Jenkins",
    "Johnson",
    "Jones",
    "Kaur",
    "Khan",
    "Kowalski",
    "Lewis",
    "Lloyd",
    "MacDonald",
    "Martin",
    "Mensah",
    "Mitchell",
    "Morgan",
    "Morris",
    "Murphy",
    "Murray",
    "Nowak",
    "Okafor",
    "O'Brien",
    "Owen",
    "Parry",
    "Patel",
    "Phillips",
    "Price",
    "Reid",
    "Roberts",
    "Robertson",
    "Robinson",
    "Scott",
    "Shah",
    "Singh",
    "Smith",
    "Stewart",
    "Taylor",
    "Thomas",
    "Thompson",
    "Walker",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
]

ROLE_ACCOUNTS = (
    ("organiser@example.org", "Demo Organiser", Role.ORGANISER),
    ("committee@example.org", "Demo Committee Member", Role.COMMITTEE),
    ("admin@example.org", "Demo Administrator", Role.ADMINISTRATOR),
)


def _demo_email(number: int) -> str:
    return f"supporter{number:04d}@{EMAIL_DOMAIN}"


@transaction.atomic
def people_demo_create() -> str:
    """Create the demo supporters and role accounts that do not exist yet (bulk inserts)."""
    rng = random.Random(SEED)
    clps = list(Constituency.objects.with_clp().order_by("gss_code"))
    if not clps:
        return "people: no constituencies loaded; skipped"
    chosen = rng.sample(clps, min(CLPS, len(clps)))
    weights = [rng.paretovariate(1.5) for _ in chosen]
    # Every chosen CLP gets one supporter, the rest are spread unevenly, as in life.
    homes = chosen + rng.choices(chosen, weights=weights, k=SUPPORTERS - len(chosen))
    now = timezone.now()
    plans = []
    for number, clp in enumerate(homes, start=1):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        joined = now - timedelta(days=rng.uniform(1, 200))
        membership = rng.choices(
            [Membership.MEMBER, Membership.NOT_MEMBER, Membership.BARRED, Membership.UNDISCLOSED],
            weights=[70, 12, 8, 10],
        )[0]
        contact, visible = rng.random() < 0.8, rng.random() < 0.45
        plans.append((_demo_email(number), name, clp, joined, membership, contact, visible))

    existing = set(
        User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("email", flat=True)
    )
    todo = [plan for plan in plans if plan[0] not in existing]
    users = User.objects.bulk_create(
        User(email=email, name=name, password=make_password(None), date_joined=joined)
        for email, name, _, joined, *_ in todo
    )
    if todo and users[0].pk is None:  # a database that does not return ids from bulk inserts
        by_email = dict(
            User.objects.filter(email__in=[p[0] for p in todo]).values_list("email", "pk")
        )
        for user in users:
            user.pk = by_email[user.email]
    supporters = []
    consents = []
    for user, (_, _, clp, joined, membership, contact, visible) in zip(users, todo, strict=True):
        supporter = Supporter(
            user=user,
            constituency=clp,
            membership=membership,
            joined_at=joined,
            email_verified_at=joined + timedelta(minutes=5),
        )
        supporters.append(supporter)
        for kind, wanted in ((ConsentKind.CONTACT, contact), (ConsentKind.VISIBLE_IN_CLP, visible)):
            if wanted:
                consents.append(
                    Consent(supporter=supporter, kind=kind, wording=WORDING[kind], given_at=joined)
                )
    Supporter.objects.bulk_create(supporters)
    Consent.objects.bulk_create(consents)

    accounts = 0
    for email, name, role in ROLE_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "is_staff": role is Role.ADMINISTRATOR,
                "is_superuser": role is Role.ADMINISTRATOR,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get_or_create(name=role.value)[0])
            accounts += 1

    if todo or accounts:
        audit_record(
            actor_id=None,
            action="demo.create",
            object_type="supporter",
            summary=f"{len(todo)} demo supporters, {accounts} role accounts",
        )
    return (
        f"people: {len(todo)} demo supporters created ({len(plans)} in {len(chosen)} CLPs), "
        f"{accounts} role accounts"
    )
