# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A posted receivable item, written once.

A journal item counts as receivable when its account is of the receivable
type and its entry is posted; it is open while it is not reconciled. Every
query of the addon (and the triggers keeping the receivable balance) uses
these fragments instead of restating the filter.
"""

RECEIVABLE_TYPE = "receivable"
POSTED_STATE = "posted"


def is_receivable_account(account="acc"):
    """Condition: account ``account`` is a receivable account."""
    return "{a}.internal_type = '{t}'".format(a=account, t=RECEIVABLE_TYPE)


def is_posted(move="m"):
    """Condition: entry ``move`` is posted."""
    return "{m}.state = '{s}'".format(m=move, s=POSTED_STATE)


def is_open(line="l"):
    """Condition: item ``line`` (the table's own row when None) is not
    reconciled."""
    return "{l}reconciled IS NOT TRUE".format(l=line + "." if line else "")


def receivable_account_join(line="l", account="acc"):
    """JOIN keeping the items ``line`` on a receivable account."""
    return ("JOIN account_account {a} ON {a}.id = {l}.account_id"
            " AND {cond}").format(a=account, l=line,
                                  cond=is_receivable_account(account))


def posted_move_join(line="l", move="m"):
    """JOIN keeping the items ``line`` of a posted entry."""
    return ("JOIN account_move {m} ON {m}.id = {l}.move_id"
            " AND {cond}").format(m=move, l=line, cond=is_posted(move))


def posted_receivable_items(line="l", account="acc", move="m"):
    """FROM fragment: the posted receivable items, as ``line``."""
    return "account_move_line {l}\n {acc}\n {move}".format(
        l=line, acc=receivable_account_join(line, account),
        move=posted_move_join(line, move))


def contact_ids(partners):
    """Subquery of the ids of the commercial partners ``partners`` (an SQL
    placeholder of a tuple) and their contacts, to be used as
    ``partner_id = ANY(ARRAY(...))``: with the list computed first, the
    planner reads the items of those partners through a partner index
    instead of scanning every receivable item of the company."""
    return "SELECT c.id FROM res_partner c WHERE c.commercial_partner_id " \
        "IN " + partners


def receivable_account_ids(company=None):
    """Subquery of the receivable account ids (of ``company``, an SQL
    expression or placeholder, when given)."""
    query = "SELECT acc.id FROM account_account acc WHERE " \
        + is_receivable_account("acc")
    if company is not None:
        query += " AND acc.company_id = " + company
    return query


def open_receivable_domain(partner_ids, company_id):
    """ORM domain on account.move.line: the open posted receivable items of
    the partners (and their contacts) in the company."""
    return [("partner_id", "child_of", list(partner_ids)),
            ("company_id", "=", company_id),
            ("account_id.internal_type", "=", RECEIVABLE_TYPE),
            ("reconciled", "=", False),
            ("move_id.state", "=", POSTED_STATE)]
