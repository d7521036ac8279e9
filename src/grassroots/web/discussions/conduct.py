"""The code of conduct each person accepts once before writing in discussions. Its exact
wording is stored with the acceptance (``ConductAcceptance``), so a later change of these
words never changes what someone agreed to."""

from __future__ import annotations

CODE_OF_CONDUCT = (
    "I will treat everyone here with respect, disagree with ideas rather than attack people, "
    "and not harass, threaten or demean anyone for who they are. I will not share anything "
    "said in a closed space outside it, nor anyone's personal details. I understand that "
    "moderators may hide my posts, lock threads and suspend me from discussions if I break "
    "this code."
)
