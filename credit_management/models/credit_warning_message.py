# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""credit.warning: the sentence of each warning type, with the numbers
(translated in the language of the context).
"""
from odoo import _, api, models
from odoo.tools import float_round


class CreditWarning(models.Model):
    _inherit = "credit.warning"

    @api.model
    def _credit_money(self, amount, currency):
        """``amount`` rounded to ``currency``, with its code (a message's
        figure)."""
        return "%s %s" % (float_round(
            amount, precision_rounding=currency.rounding), currency.name)

    @api.model
    def _get_message(self, signal, partner, company, secured=None):
        """A sentence with the numbers (translated); ``secured``: the
        customer's credit secured by collateral when the caller has it."""
        currency = company.currency_id

        def money(amount):
            return self._credit_money(amount, currency)
        wtype = signal.warning_type
        if wtype in ("limit_usage", "limit_exceeded"):
            if secured is None:
                secured = self.env["credit.collateral"]._credit_secured_amounts(
                    partner, company)[partner.id]
            return self._get_limit_message(signal, partner, money, secured)
        if wtype == "overdue_amount":
            return _("Overdue amount %s is above %s.") % (
                money(signal.value), money(signal.threshold))
        if wtype == "overdue_days":
            return _("The oldest unpaid invoice is %d days past due "
                     "(level %d days).") % (signal.value, signal.threshold)
        if wtype == "temp_limit_expiring":
            return _("The temporary credit limit ends in %d days.") % (
                signal.value)
        if wtype == "review_overdue":
            return _("The credit review is %d days overdue (due %s).") % (
                signal.value, partner.credit_review_date)
        if wtype == "grade_downgraded":
            return _("Grade %s (score from %.0f) is below the grade held "
                     "recently (score from %.0f).") % (
                partner.credit_grade_id.code, signal.value, signal.threshold)
        if wtype == "dso_worsening":
            return _("DSO worsened by %.1f days over the trend window "
                     "(threshold %.1f days).") % (signal.value,
                                                  signal.threshold)
        if wtype == "days_late_rising":
            return _("Average days late rose by %.1f days over the trend "
                     "window (threshold %.1f days).") % (
                signal.value, signal.threshold)
        if wtype == "overdue_growing":
            return _("The overdue amount grew %d snapshots in a row, now "
                     "%s.") % (signal.threshold, money(signal.value))
        if wtype == "broken_promise":
            return _("Promise to pay %s not kept: %s still missing.") % (
                money(signal.threshold), money(signal.value))
        if wtype == "good_payer":
            return _("All %d invoices of the last %d months were paid on "
                     "time: propose a higher limit or better terms.") % (
                signal.value, signal.threshold)
        return "%s: %s" % (wtype, signal.value)

    @api.model
    def _get_limit_message(self, signal, partner, money, secured):
        """The sentence of a limit warning: the usage is of the limit plus
        the credit secured by collateral, as the order check counts it."""
        limit = partner.credit_limit
        secured = secured if limit > 0 else 0.0
        exposure = money((limit + secured) * signal.value / 100.0)
        if signal.warning_type == "limit_usage":
            if secured:
                return _("Exposure %s is %.1f %% of the credit limit %s and "
                         "the credit secured by collateral %s (warning at "
                         "%.0f %%).") % (exposure, signal.value, money(limit),
                                         money(secured), signal.threshold)
            return _("Exposure %s is %.1f %% of the credit limit %s "
                     "(warning at %.0f %%).") % (
                exposure, signal.value, money(limit), signal.threshold)
        if secured:
            return _("Exposure %s exceeds the credit limit %s and the credit "
                     "secured by collateral %s (%.1f %%).") % (
                exposure, money(limit), money(secured), signal.value)
        return _("Exposure %s exceeds the credit limit %s (%.1f %%).") % (
            exposure, money(limit), signal.value)
