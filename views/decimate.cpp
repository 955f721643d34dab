// SPDX-License-Identifier: MIT
#include "decimate.h"

void decimateMinMax(const QList<QPointF>& in, double xFrom, double xTo, int pixels, QList<QPointF>& out)
{
    out.clear();
    if (pixels <= 0 || in.size() <= 2 * qsizetype(pixels) || xTo <= xFrom) {
        out = in;
        return;
    }
    const double perPixel = (xTo - xFrom) / pixels;
    qsizetype i = 0;
    while (i < in.size()) {
        const qint64 column = qint64((in[i].x() - xFrom) / perPixel);
        QPointF lo = in[i], hi = in[i];
        qsizetype j = i + 1;
        for (; j < in.size() && qint64((in[j].x() - xFrom) / perPixel) == column; ++j) {
            if (in[j].y() < lo.y())
                lo = in[j];
            if (in[j].y() > hi.y())
                hi = in[j];
        }
        if (lo.x() <= hi.x()) {
            out.append(lo);
            if (hi != lo)
                out.append(hi);
        } else {
            out.append(hi);
            out.append(lo);
        }
        i = j;
    }
}
