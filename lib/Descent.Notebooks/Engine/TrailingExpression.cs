using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Descent.Notebooks.Engine;

/// <summary>Whether a submission ends in an expression without a semicolon, whose value the cell shows as its result.</summary>
internal static class TrailingExpression
{
    /// <summary>True when the last submission of <paramref name="compilation"/> ends in such an expression.</summary>
    /// <param name="compilation">The submission's script compilation.</param>
    /// <param name="isVoid">Set when the expression has no value (a call to a void method): nothing is shown.</param>
    public static bool Find(Compilation compilation, out bool isVoid)
    {
        isVoid = false;
        var tree = compilation.SyntaxTrees.Last();
        if (tree.GetRoot() is not CompilationUnitSyntax unit
            || unit.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }
            || !statement.SemicolonToken.IsMissing)
        {
            return false;
        }

        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        isVoid = type?.SpecialType == SpecialType.System_Void;
        return true;
    }
}
