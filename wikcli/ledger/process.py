"""The six steps of pre-collection: events + policy + today -> step, amounts, next action.

The rules live in four modules (``facts``, ``standing``, ``steps``, ``plans``); this one names
them all in one place, as the ledger's users have always called them (``process.assess``).


Pure: no I/O and no clock. The journal hands over its events, ``fold`` turns them into the
facts of each client and invoice, and ``assess`` derives what an invoice stands at on a
given day. Facts dated after ``today`` are ignored, and so are voids dated after it, so
replaying with an earlier ``--today`` shows the ledger as it was then.

Rules (domain.md sections 1-4):
- step 1 invoice -> 2 reminder -> 3 phone call -> 4 WIK-letter -> 5 notice of default ->
  6 hand-over; a business debtor skips steps 3-4 when the policy says so.
- Collection costs are owed only where a letter announced them (its ``letter-sent`` event
  records the amount, see ``claims``) and that letter's term has run out: for a consumer a
  WIK-letter, for a business the first letter that named them (a conservative reading of
  art. 6:96 BW). Never more than the letter announced; a partial payment inside its term
  lowers them to the staffel over what is left of the claim's principal (seed 002).
- Payments, in the order they were made: before the costs are owed a payment lowers the
  principal first (so the costs can be recomputed over the rest, seed 002), then pays the
  interest accrued; once the costs are owed, and for every payment under a payment plan,
  art. 6:44 BW: costs, then interest, then principal. What is left over is credit.
- Statutory interest runs from the day after the due date through today, both counted; a
  payment counts as made at the end of its day. A plan agreed with ``waive_interest``
  stops the interest from the plan's day through its last installment.
- An invoice whose principal and owed costs are paid is settled. Interest still accruing on
  an invoice whose principal was paid in full before any costs were owed is not chased
  (documented choice: the debtor paid what the invoice asked before being charged costs).
"""

# Event types: the facts the journal holds, one schema each (``events``). A new fact adds a
# type there, never a mutable field.
from wikcli.ledger.events import (  # noqa: E402, F401 (the ledger's users name them process.X)
    BANK_IGNORED, BANK_UNMATCHED, CLIENT_ADDED, CLIENT_FORGOTTEN, CLIENT_IBAN, CLOSED, EVENT_TYPES, HANDED_OVER,
    INVOICE_ADDED, LETTER_RENDERED, LETTER_SENT, NOTE, PAUSED, PAYMENT, PLAN, RESUMED, STATEMENT_RENDERED,
    TERMS_AGREED, VOIDED, INVOICE_AMENDED, CLIENT_EMAIL, MAIL_ATTEMPT, MAIL_FAILED, LETTER_BOUNCED,
    LETTER_REGISTERED, DELIVERY_STATUSES, CLIENT_ADDRESS, CREDIT_APPLIED, CREDIT_REFUNDED,
)
from wikcli.ledger.facts import (  # noqa: F401
    ACTIONS, ACTION_LETTER, ANNOUNCING, CALL_CLIENT, CHASE_INSTALLMENT, CLOSE_REASONS, DEFAULT, Day, HAND_OVER,
    Installment, InvoiceFacts, KIND_NAMES, LEDGER_EVENTS, LETTER_KINDS, LETTER_STEP, Ledger, LetterSent, NONE, Note,
    PAYABLE_WHEN_CLOSED, Payment, Plan, REMINDER, SEND_DEFAULT, SEND_REMINDER, SEND_WIK, STEP_NAMES, VOIDABLE, WIK,
    WIK_TERM_DAYS, _ZERO_RATE, _letter_of, _new, extend, find_event, fold,
    interest_basis, is_ledger_event, letter_key, pending_mail, terms_for,
)
from wikcli.ledger.standing import (  # noqa: F401
    Allocation, Standing, _Walk, _allocate, _interest, _staffel, _term, _waived, amount_due, announce_costs,
    announcing_letter, interest_kind, letter_dates, letter_term, owed_costs, postal_days, principal_open_on,
    standing, term_days,
)
from wikcli.ledger.steps import (  # noqa: F401
    Assessment, StatusRow, _next_day, assess, assess_all, closed_by_mark, due_actions, plan_in_force,
)
from wikcli.ledger.plans import (  # noqa: F401
    _clamp_day, installment_days, plan_installments, split_installments,
)
