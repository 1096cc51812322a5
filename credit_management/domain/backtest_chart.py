# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small inline SVG charts of a back-test (no plotting library needed).

* bad rate by grade: one bar per grade, worst grade first; an inversion
  (a grade whose bad rate is higher than a worse grade's) is drawn red;
* ROC curve: share of the bad customers caught against the share of the
  good ones, for cut-offs from the lowest scores up, with the diagonal of a
  score that ranks at random.

Labels are passed in already translated; every text is escaped.
"""
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 360, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 28, 40


def _frame(title, body, y_label):
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
        'viewBox="0 0 %d %d" class="o_credit_chart" role="img" '
        'font-family="sans-serif" font-size="11">'
        '<title>%s</title>'
        '<text x="%d" y="16" font-size="13" font-weight="bold">%s</text>'
        '<text x="10" y="%d" transform="rotate(-90 10 %d)" '
        'text-anchor="middle">%s</text>%s</svg>'
        % (WIDTH, HEIGHT, WIDTH, HEIGHT, escape(title), LEFT, escape(title),
           (TOP + HEIGHT - BOTTOM) // 2, (TOP + HEIGHT - BOTTOM) // 2,
           escape(y_label), body))


def _y_axis(top_value, unit):
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for step in range(5):
        value = top_value * step / 4.0
        y = TOP + plot_h - plot_h * step / 4.0
        parts.append(
            '<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>'
            '<text x="%d" y="%.1f" text-anchor="end">%s%s</text>'
            % (LEFT, y, WIDTH - RIGHT, y, LEFT - 4, y + 4,
               ("%.0f" % value) if top_value >= 4 else ("%.1f" % value),
               unit))
    return "".join(parts)


def bad_rate_bars(bars, title, y_label):
    """``bars``: [(label, bad rate in %, inversion)] worst grade first."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top_value = max([rate for _l, rate, _i in bars] + [1.0])
    top_value = float(int(top_value / 5.0) + 1) * 5.0 \
        if top_value > 5 else float(int(top_value) + 1)
    parts = [_y_axis(top_value, "%")]
    slot = plot_w / float(max(len(bars), 1))
    for index, (label, rate, inversion) in enumerate(bars):
        bar_h = plot_h * rate / top_value
        x = LEFT + index * slot + slot * 0.15
        parts.append(
            '<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s">'
            '<title>%s: %.2f %%</title></rect>'
            '<text x="%.1f" y="%.1f" text-anchor="middle">%.1f</text>'
            '<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
            % (x, TOP + plot_h - bar_h, slot * 0.7, bar_h,
               "#d9534f" if inversion else "#337ab7", escape(label), rate,
               x + slot * 0.35, TOP + plot_h - bar_h - 3, rate,
               x + slot * 0.35, HEIGHT - BOTTOM + 14, escape(label)))
    return _frame(title, "".join(parts), y_label)


def roc_curve(points, title, x_label, y_label, auc=None, auc_label="AUC"):
    """``points``: [(good share %, bad share %)] from the lowest scores up;
    (0, 0) and (100, 100) are added."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def xy(good, bad):
        return (LEFT + plot_w * good / 100.0, TOP + plot_h - plot_h * bad / 100.0)
    path = sorted(set([(0.0, 0.0)] + [(float(g), float(b)) for g, b in points]
                      + [(100.0, 100.0)]))
    coords = " ".join("%.1f,%.1f" % xy(g, b) for g, b in path)
    (x0, y0), (x1, y1) = xy(0, 0), xy(100, 100)
    parts = [
        _y_axis(100.0, "%"),
        '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999" '
        'stroke-dasharray="4 3"/>' % (x0, y0, x1, y1),
        '<polyline points="%s" fill="none" stroke="#337ab7" '
        'stroke-width="2"/>' % coords,
        '<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
        % (LEFT + plot_w / 2.0, HEIGHT - 6, escape(x_label)),
    ]
    for step in range(5):
        x = LEFT + plot_w * step / 4.0
        parts.append('<text x="%.1f" y="%d" text-anchor="middle">%d%%</text>'
                     % (x, HEIGHT - BOTTOM + 14, 25 * step))
    if auc is not None:
        parts.append('<text x="%.1f" y="%.1f" text-anchor="end" '
                     'font-weight="bold">%s %.3f</text>'
                     % (x1 - 4, y0 - 8, escape(auc_label), auc))
    return _frame(title, "".join(parts), y_label)
