// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <vector>

/// A chain's critical path: from the event that came last back to its root, cause by cause, in causal
/// order. What made the chain take as long as it did: every other branch ended earlier. `timeOf(i)` is
/// entry i's time, `parentOf(i)` the entry that caused it (-1: a root, or a cause outside the chain),
/// `counts(i)` whether it may end the path (a duplicate, a second delivery of an event, may not). The
/// latest entry wins ties by position (the later one listed). A cycle of causes, which hostile input
/// could make, stops the walk after `count` steps.
template<typename TimeOf, typename ParentOf, typename Counts>
std::vector<int> criticalPath(int count, TimeOf timeOf, ParentOf parentOf, Counts counts)
{
    int last = -1;
    for (int i = 0; i < count; ++i)
        if (counts(i) && (last < 0 || timeOf(i) >= timeOf(last)))
            last = i;
    if (last < 0)
        return {};
    std::vector<int> path;
    for (int i = last; i >= 0 && i < count && int(path.size()) < count; i = parentOf(i))
        path.push_back(i);
    std::reverse(path.begin(), path.end());
    return path;
}
