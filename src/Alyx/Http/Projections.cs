using System.Linq.Expressions;

namespace Alyx.Http;

/// <summary>
/// One projection shared by a per-request query and an EF compiled query: written once as a lambda whose extra parameter
/// (the API root of a request) is bound to a value for the former (<c>Bind</c>) and spliced into the latter
/// where it calls <c>Expand</c> (<see cref="Inline{TDelegate}"/>).
/// </summary>
public static class Projections
{
    /// <summary>The projection with its extra parameter fixed to a value (captured as a parameter of the query).</summary>
    public static Expression<Func<T, TResult>> Bind<T, TA, TResult>(Expression<Func<T, TA, TResult>> projection, TA a)
    {
        var box = Expression.Constant(new Box<TA>(a));
        var body = new Substitute(new Dictionary<ParameterExpression, Expression>
        {
            [projection.Parameters[1]] = Expression.Field(box, nameof(Box<TA>.A)),
        }).Visit(projection.Body);
        return Expression.Lambda<Func<T, TResult>>(body, projection.Parameters[0]);
    }

    /// <summary>A marker for <see cref="Inline{TDelegate}"/>: the projection applied to the arguments. Never called.</summary>
    public static TResult Expand<T, TA, TResult>(Expression<Func<T, TA, TResult>> projection, T item, TA a) =>
        throw new InvalidOperationException("Projections.Expand is only valid inside a query passed through Projections.Inline.");

    /// <summary>The query with each <c>Expand</c> call replaced by the projection's body.</summary>
    public static Expression<TDelegate> Inline<TDelegate>(Expression<TDelegate> query) => (Expression<TDelegate>)new Expander().Visit(query);

    /// <summary>The bound values, read by field so that EF parameterises them instead of inlining constants.</summary>
    sealed class Box<TA>(TA a)
    {
        public readonly TA A = a;
    }

    sealed class Substitute(Dictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => map.GetValueOrDefault(node) ?? node;
    }

    sealed class Expander : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(Projections) || node.Method.Name != nameof(Expand)) return base.VisitMethodCall(node);
            var projection = (LambdaExpression)Expression.Lambda(node.Arguments[0]).Compile().DynamicInvoke()!;
            var map = new Dictionary<ParameterExpression, Expression>();
            for (var i = 0; i < projection.Parameters.Count; i++) map[projection.Parameters[i]] = Visit(node.Arguments[i + 1]);
            return new Substitute(map).Visit(projection.Body);
        }
    }
}
