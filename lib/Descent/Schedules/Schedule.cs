namespace Descent.Schedules;

/// <summary>
/// A stateless learning-rate schedule: the learning rate η used by optimizer step <paramref name="step"/> (0-based),
/// equal to torch's <c>param_groups[0]['lr']</c> read before that step. Schedules are plain functions that compose.
/// </summary>
/// <param name="step">The 0-based optimizer step.</param>
/// <returns>The learning rate for that step.</returns>
public delegate double Schedule(int step);
