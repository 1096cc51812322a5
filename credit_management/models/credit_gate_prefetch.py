# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The credit profile of the customers of one check, read in one query.

The check reads six company-dependent fields of the customer (limit, grade,
hold, hold reason, single-order cap, review date) and its payment terms.
Odoo reads each through ``ir.property.get_multi``: two or three queries per
field (the field's id, the property rows, their values), some twenty queries
per confirmation. ``_credit_prefetch_profile`` reads all of them in one
query, applies ``get_multi``'s precedence (the customer's row of the company
before its row shared by all companies, else the company default, else the
shared default; many2one values that no longer exist read as empty) and puts
the values in the ORM cache of the environment the check reads them from,
so that the usual field reads find them there. tests/test_gate_query_budget.py
compares the values with Odoo's own reads.
"""
from odoo import api, fields, models, tools

from .credit_profile import PROFILE_PROPERTY_FIELDS

# many2one profile fields -> table of the record they point to
_PROFILE_REFERENCES = {
    "credit_grade_id": "credit_grade",
    "property_payment_term_id": "account_payment_term",
}


def _clear_policy_cache(env):
    """Clear the registry's caches now and after the commit (a check that
    read the cache meanwhile in another transaction keeps no stale id)."""
    registry = env.registry
    registry.clear_caches()
    env.cr.after("commit", registry.clear_caches)


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _credit_profile_property_rows(self, company, ids):
        """[(field name, partner id or None, type, value...)] of the
        profile properties of ``ids`` and the defaults, best first."""
        refs = ["res.partner,%d" % pid for pid in ids]
        self.env.cr.execute("""
            SELECT f.name,
                   CASE WHEN ip.res_id IS NULL THEN NULL
                        ELSE split_part(ip.res_id, ',', 2)::integer END,
                   ip.type, ip.value_float, ip.value_integer, ip.value_text,
                   ip.value_datetime,
                   CASE WHEN ip.value_reference LIKE '%%,%%'
                        THEN split_part(ip.value_reference, ',', 2)::integer
                   END AS ref_id,
                   CASE f.name
                        WHEN 'credit_grade_id' THEN EXISTS (
                            SELECT 1 FROM credit_grade g WHERE g.id =
                            split_part(ip.value_reference, ',', 2)::integer)
                        WHEN 'property_payment_term_id' THEN EXISTS (
                            SELECT 1 FROM account_payment_term t WHERE t.id =
                            split_part(ip.value_reference, ',', 2)::integer)
                   END AS ref_exists
              FROM ir_property ip
              JOIN ir_model_fields f ON f.id = ip.fields_id
             WHERE f.model = 'res.partner' AND f.name IN %(names)s
               AND (ip.company_id = %(company)s OR ip.company_id IS NULL)
               AND (ip.res_id IN %(refs)s OR ip.res_id IS NULL)
             ORDER BY f.name, ip.res_id, ip.company_id NULLS LAST, ip.id
        """, {"names": PROFILE_PROPERTY_FIELDS, "company": company.id,
              "refs": tuple(refs)})
        return self.env.cr.fetchall()

    @staticmethod
    def _credit_property_value(row):
        """The value of one property row, as ``get_by_record`` gives it
        (many2one: the id, or False)."""
        (_name, _pid, ptype, vfloat, vint, vtext, vdatetime, ref_id,
         ref_exists) = row
        if ptype in ("char", "text", "selection"):
            return vtext
        if ptype == "float":
            return vfloat
        if ptype == "boolean":
            return bool(vint)
        if ptype == "integer":
            return vint
        if ptype == "many2one":
            return ref_id if ref_id and ref_exists else False
        if ptype == "datetime":
            return vdatetime
        if ptype == "date":
            return fields.Date.to_string(
                fields.Datetime.from_string(vdatetime)) if vdatetime else False
        return False

    def _credit_prefetch_profile(self, company):
        """Put the credit profile of these partners in ``company`` in the
        cache of ``self.with_context(force_company=company.id)`` (one query;
        nothing when it is there already)."""
        partners = self.with_context(force_company=company.id)
        cache = partners.env.cache
        limit_field = partners._fields["credit_limit"]
        missing = partners.filtered(
            lambda p: not cache.contains(p, limit_field))
        if not missing:
            return
        best = {}  # (field, partner id or None) -> value; first row wins
        for row in self._credit_profile_property_rows(company, missing.ids):
            best.setdefault((row[0], row[1]), self._credit_property_value(row))
        for name in PROFILE_PROPERTY_FIELDS:
            field = partners._fields[name]
            default = best.get((name, None), False)
            for partner in missing:
                value = best.get((name, partner.id), default)
                cache.set(partner, field,
                          field.convert_to_cache(value, partner))


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    @tools.ormcache("company_id")
    def _credit_policy_id_of(self, company_id):
        """Id of the credit policy of the company (cached by the registry,
        cleared when a policy is created, moved or deleted)."""
        self.env.cr.execute("SELECT id FROM credit_policy WHERE company_id = %s"
                            " ORDER BY id LIMIT 1", (company_id,))
        row = self.env.cr.fetchone()
        return row[0] if row else False

    def _compute_credit_policy_id(self):
        Policy = self.env["credit.policy"]
        for company in self:
            company.credit_policy_id = Policy.browse(
                self._credit_policy_id_of(company.id))


class CreditPolicy(models.Model):
    _inherit = "credit.policy"

    @api.model
    def create(self, vals):
        policy = super().create(vals)
        _clear_policy_cache(self.env)
        return policy

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if "company_id" in vals:
            _clear_policy_cache(self.env)
        return result

    @api.multi
    def unlink(self):
        result = super().unlink()
        _clear_policy_cache(self.env)
        return result


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _credit_prefetch_document(self):
        self._credit_prefetch_order()

    def _credit_prefetch_order(self):
        """What the check reads of the order beyond its own row, in one
        query into the ORM cache: its customer's commercial partner, its
        currency, its company's currency and that currency's rounding (the
        amounts stored), the user's time zone (the check's dates)."""
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id
        user = self.env.user
        fields_ = [(self, "currency_id"), (company, "currency_id"),
                   (partner, "commercial_partner_id"), (user, "tz")]
        cache = self.env.cache
        if all(cache.contains(record, record._fields[name])
               for record, name in fields_):
            return
        self.env.cr.execute("""
            SELECT pl.currency_id, c.currency_id, cur.rounding,
                   p.commercial_partner_id, up.tz
              FROM sale_order so
              JOIN product_pricelist pl ON pl.id = so.pricelist_id
              JOIN res_company c ON c.id = so.company_id
              JOIN res_currency cur ON cur.id = c.currency_id
              JOIN res_partner p ON p.id = so.partner_id
              JOIN res_users u ON u.id = %s
              JOIN res_partner up ON up.id = u.partner_id
             WHERE so.id = %s AND c.id = %s AND p.id = %s
        """, (user.id, self.id, company.id, partner.id))
        row = self.env.cr.fetchone()
        if not row:
            return
        values = dict(zip(range(len(fields_)), (row[0], row[1], row[3],
                                                row[4] or False)))
        for index, (record, name) in enumerate(fields_):
            field = record._fields[name]
            if not cache.contains(record, field):
                cache.set(record, field,
                          field.convert_to_cache(values[index], record))
        # the rounding of stored amounts (the check is created as superuser)
        currency = self.env["res.currency"].sudo().browse(row[1])
        rounding_field = currency._fields["rounding"]
        if not cache.contains(currency, rounding_field):
            cache.set(currency, rounding_field, row[2])
