# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.tools import html_escape


class CreditCollectionDigest(models.Model):
    """The collection actions of one day for one controller, as one list.

    The follow-up cron moves hundreds of customers to a level with an
    activity (a call, a legal hand-over) on a bad day: each controller gets
    one to-do on one digest listing the customers that reached such a level
    for them that day (level, amount, days), not one activity per customer.
    The sibling of ``credit.warning.digest`` for the collection log.
    """

    _name = "credit.collection.digest"
    _description = "Collection Actions Digest"
    _inherit = ["credit.digest.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    log_ids = fields.One2many(
        "credit.collection.log", "digest_id", "Customers", readonly=True)
    customer_count = fields.Integer(compute="_compute_totals")
    overdue_amount = fields.Monetary(compute="_compute_totals")

    _sql_constraints = [
        ("collection_digest_unique", "unique(date, company_id, user_id)",
         "One collection digest per day, company and responsible."),
    ]

    @api.depends("date")
    def _compute_name(self):
        for digest in self:
            digest.name = _("Collection actions of %s") % digest.date

    @api.depends("log_ids.overdue_amount")
    def _compute_totals(self):
        for digest in self:
            digest.customer_count = len(digest.log_ids)
            digest.overdue_amount = sum(digest.log_ids.mapped("overdue_amount"))

    def _activity_summary(self):
        return _("Follow up the overdue customers of the day")

    def _activity_note(self):
        """How many customers reached each level, with the level's
        instructions; the customers themselves are listed on the digest."""
        self.ensure_one()
        self.env.cr.execute("""
            SELECT level_id, count(*), COALESCE(SUM(overdue_amount), 0)
              FROM credit_collection_log WHERE digest_id = %s
             GROUP BY level_id""", (self.id,))
        counts = {level_id: (count, amount)
                  for level_id, count, amount in self.env.cr.fetchall()}
        levels = self.env["credit.followup.level"].browse(
            [lid for lid in counts if lid]).sorted(lambda lv: (lv.days, lv.id))
        parts = ["<p>%s</p>" % html_escape(_(
            "The customers that reached a collection level for you today are "
            "listed on this digest, with the level, the overdue amount and "
            "the days overdue."))]
        items = []
        for level in levels:
            count, amount = counts[level.id]
            line = _("%s: %d customers, %.2f overdue") % (
                level.name, count, amount)
            items.append("<li><b>%s</b>%s</li>" % (
                html_escape(line),
                "<br/>%s" % html_escape(level.instructions)
                if level.instructions else ""))
        if items:
            parts.append("<ul>%s</ul>" % "".join(items))
        return "".join(parts)

    def _refresh_activity_note(self):
        """Bring the to-do's note in line with the customers listed (after
        each batch of the cron)."""
        for digest in self:
            digest.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(
                    "mail.mail_activity_data_todo")).write(
                        {"note": digest._activity_note()})
