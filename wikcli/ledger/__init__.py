"""The six steps of pre-collection: events + policy + today -> step, amounts, next action.

The rules live in four modules: ``facts`` (the vocabulary and the fold), ``standing`` (what
is owed on a day), ``steps`` (the step and next action) and ``plans``.

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
